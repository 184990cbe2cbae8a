"""Training of one model: pre-training, SFT, RL post-training and experiment overhead.

* Compute: ``C = 6 N_active D + 12 L T d_attn D`` (forward + backward, with the
  attention term as PaLM's MFU accounting counts it, Chowdhery et al. 2022,
  appendix B); a published FLOP figure overrides it.
* Accelerator-hours: ``C / (peak(precision) x MFU)``; published hours override.
* Power per accelerator-hour: the measured figure when published (host share
  included), else the accelerator at :data:`TRAINING_ACCELERATOR_LOAD` of its
  idle-to-max range plus its host share; x PUE at the facility boundary. A
  training cluster is dedicated, so the fleet boundary adds nothing.
* RL: rollouts are costed as inference (prefill + decode of long samples on
  the training hardware, :mod:`app.engine.inference`), policy updates as
  ``6 N_active + 12 L c d_attn`` per trained token (c: the whole sequence,
  prompt plus response, as pre-training counts its context length) over
  the epochs, the frozen reference model
  as a forward pass ``2 N_active`` per token; reward by rules is taken as free
  (CPU verifiers), by humans as people-hours and their cost.
* Overhead: ablations and failed runs, a fraction of pre-training.
"""

from __future__ import annotations

import numpy as np

from app.engine import inference
from app.engine.hardware import Accelerator, Architecture, accelerator, architecture
from app.engine.inputs import Inputs
from app.engine.results import TRAINING_PHASES, TrainingResult
from app.engine.shared import Shared, inputs_under

TRAINING_ACCELERATOR_LOAD = 1.0
"""Share of the idle-to-max power range drawn in training when no measured
power is given. Source: Meta's model cards (LLaMA, Llama 3.1, Llama 4) and
Luccioni et al. count the TDP for the whole run; an upper bound."""

RL_ROLLOUT_BATCH = 256.0
"""Sequences generated together per rollout replica. Assumption: RL frameworks
(verl, OpenRLHF) generate rollouts with vLLM at large batch; capped by KV memory."""


def pretraining_flops(inp: Inputs, arch: Architecture) -> np.ndarray:
    """6 N_active D plus attention, unless a published figure is given."""
    tokens = inp["model.pretraining_tokens_trillion"] * 1e12
    per_token = 6.0 * arch.active_params + 12.0 * arch.layers * arch.context_length * arch.d_attn
    if "model.training.published_training_flops" in inp:
        return inp["model.training.published_training_flops"]
    return per_token * tokens


def _power_per_accelerator(inp: Inputs, acc: Accelerator, level: int) -> np.ndarray:
    """Average power per accelerator-hour of training within the boundary (before PUE)."""
    if "model.training.measured_power_w" in inp:
        measured = inp["model.training.measured_power_w"]  # host share included
        return measured if level >= 1 else measured * acc.max_w / (acc.max_w + acc.host_w)
    chip = acc.idle_w + (acc.max_w - acc.idle_w) * TRAINING_ACCELERATOR_LOAD
    return chip + acc.host_w if level >= 1 else chip


READS = ("model.", "training_hardware.", "datacenter.")
"""Where every input training reads lives, by path prefix (with the scenario's choices; tests check it)."""


def compute(inp: Inputs, level: int, shared: Shared | None = None) -> TrainingResult:
    """Training of the scenario's model; ``shared`` lends the training of another scenario of the same evaluation
    whose inputs under :data:`READS` and choices are the very same (one model trained alike, served on other
    deployments or along other training paths), else the RL rollouts of one generating them alike
    (``app.engine.shared``)."""
    if shared is None:
        return _compute(inp, level, None)
    read = inputs_under(inp.values, READS)
    return shared.equal("training", (inp.choices, level, inp.samples, read), lambda: _compute(inp, level, shared))


def _compute(inp: Inputs, level: int, shared: Shared | None) -> TrainingResult:
    arch = architecture(inp)
    acc = accelerator(inp, "training_hardware", inp.choices.training_peak_field)
    rate = acc.peak_flops * np.clip(inp["model.training.mfu"], 1e-6, 1.0)  # achieved FLOP/s per accelerator
    power_w = _power_per_accelerator(inp, acc, level)
    pue = inp["datacenter.pue"] if level >= 3 else 1.0
    zero = np.zeros(inp.samples)

    # Pre-training
    pre_flops = pretraining_flops(inp, arch)
    if "model.training.published_accelerator_hours" in inp:
        pre_hours = inp["model.training.published_accelerator_hours"]
    else:
        pre_hours = pre_flops / rate / 3600.0
    wall_clock_days = pre_hours / np.maximum(inp["model.training.accelerator_count"], 1.0) / 24.0

    # Supervised fine-tuning
    sft_flops = 6.0 * arch.active_params * inp.opt("model.post_training.sft_tokens_billion", 0.0) * 1e9
    sft_hours = sft_flops / rate / 3600.0

    # RL post-training
    rl_flops, rl_hours, rl_extra_mwh, annotator_hours, annotator_usd = zero, zero, zero, zero, zero
    if inp.choices.has_rl:
        sequences = inp["model.post_training.rl.prompts"] * inp["model.post_training.rl.samples_per_prompt"]
        prompt = inp["model.post_training.rl.prompt_tokens"]
        response = inp["model.post_training.rl.response_tokens"]
        rollout_acc = accelerator(inp, "training_hardware", inp.choices.rollout_peak_field)
        context = prompt + response / 2.0
        n = inference.replica_size(arch, rollout_acc)
        batch = inference.effective_batch(arch, rollout_acc, n, np.full(inp.samples, RL_ROLLOUT_BATCH), context)
        srv = inference.served_by(shared, arch, rollout_acc, inference.default_layout(arch, n), inp.choices.training_hardware_name)
        rollout = inference.lent(shared, "rollout", (response, prompt, batch, srv), lambda: inference._add(
            inference.prefill(srv, batch, prompt, response), inference.decode(srv, batch, prompt, response)))
        site = inference.Site.of(inp, min(level, 1), rollout_acc)  # a dedicated cluster: no idle capacity
        rollout_mwh = sequences * site.joules(rollout) / 3.6e9 * pue
        trained_tokens = sequences * (prompt + response)
        update_flops = inp.opt("model.post_training.rl.policy_epochs", 1.0) * trained_tokens * (
            6.0 * arch.active_params + 12.0 * arch.layers * (prompt + response) * arch.d_attn
        )
        reference_flops = trained_tokens * 2.0 * arch.active_params if inp.choices.rl_reference_model else zero
        rl_flops = sequences * rollout.flops + update_flops + reference_flops
        update_hours = (update_flops + reference_flops) / rate / 3600.0
        rl_hours = sequences * rollout.accelerator_seconds / 3600.0 + update_hours
        rl_extra_mwh = rollout_mwh - sequences * rollout.accelerator_seconds / 3600.0 * power_w * pue / 1e6
        if inp.choices.rl_reward == "human":
            annotator_hours = sequences * inp["model.post_training.rl.human_seconds_per_sample"] / 3600.0
            annotator_usd = annotator_hours * inp["model.post_training.rl.annotator_usd_per_hour"]

    # Experiment overhead: a fraction of pre-training
    overhead = inp.opt("model.training.experiment_overhead_fraction", 0.0)

    flops = np.stack([pre_flops, sft_flops, rl_flops, overhead * pre_flops])
    hours = np.stack([pre_hours, sft_hours, rl_hours, overhead * pre_hours])
    energy_mwh = hours * power_w * pue / 1e6
    energy_mwh[2] += rl_extra_mwh  # rollouts draw inference power, not training power
    it_mwh = energy_mwh / pue
    embodied_t = hours * 3600.0 * acc.embodied_kg_per_second / 1000.0
    co2e_t = energy_mwh * inp["datacenter.grid_kgco2e_per_kwh"] + embodied_t
    water_m3 = it_mwh * inp["datacenter.wue_l_per_kwh"] + energy_mwh * inp["datacenter.electricity_water_l_per_kwh"]
    cost = hours * acc.usd_per_second * 3600.0
    cost[2] += annotator_usd
    assert flops.shape[0] == len(TRAINING_PHASES)
    return TrainingResult(
        flops=flops,
        accelerator_hours=hours,
        energy_mwh=energy_mwh,
        co2e_t=co2e_t,
        embodied_co2e_t=embodied_t,
        water_m3=water_m3,
        cost_usd=cost,
        wall_clock_days=wall_clock_days,
        annotator_hours=annotator_hours,
    )
