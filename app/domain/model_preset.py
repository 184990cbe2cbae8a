"""An AI model: architecture, training run, post-training and reasoning behaviour.

Parameters are in billions and tokens in the unit named by the field, so a
preset reads like the paper it comes from. Mixture-of-experts models hold all
``total_parameters_billion`` in memory but compute with only
``active_parameters_billion`` per token.
"""


from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from app.domain.base import StrictModel
from app.domain.limits import (
    ARCHITECTURE,
    COUNT,
    FLOPS,
    HOURS,
    MFU_FLOOR,
    PARAMETERS_BILLION,
    POWER_W,
    PRICE,
    PROMPTS,
    RATE_FRACTION,
    SECONDS,
    TOKENS,
    TOKENS_BILLION,
    TOKENS_TRILLION,
)
from app.domain.precision import Precision
from app.domain.quantity import Q, Quantity, shown
from app.domain.text import Description, Name, Source
from app.numbers import number


class MultiTokenPrediction(StrictModel):
    """The model's own multi-token-prediction module (DeepSeek-V3's MTP): extra tokens it drafts per step, which a
    server can verify together as speculative decoding, and how often each is accepted."""

    draft_tokens: Annotated[Quantity, Q(
        "tokens", "Tokens the module predicts beyond the next one, each verified by the next step.", ge=1, le=16, whole=True,
    )]
    acceptance: Annotated[Quantity, Q(
        "fraction", "Probability that a drafted token is accepted (each one given the previous was).", gt=0, lt=1,
    )]


class PublishedServing(StrictModel):
    """Weights the model's publisher ships for serving besides its own precision, with the source."""

    weight_precision: Precision
    source: Source


class MixtureOfExperts(StrictModel):
    """Routed experts of an MoE model (per MoE layer, as in the model card)."""

    routed_experts: Annotated[Quantity, Q("experts", "Routed experts per MoE layer.", ge=1, whole=True, **ARCHITECTURE)]
    experts_per_token: Annotated[Quantity, Q("experts", "Routed experts each token is sent to.", ge=1, whole=True, **ARCHITECTURE)]
    shared_experts: Annotated[Quantity, Q(
        "experts",
        "Always-active shared experts per MoE layer. For reference: the engine counts their "
        "parameters in the always-read share (total minus routed), so this number changes no result.",
        ge=0,
        whole=True,
        **ARCHITECTURE,
    )] = Quantity(value=0)
    parameters_per_expert_billion: Annotated[Quantity, Q(
        "B params",
        "Parameters of one routed expert summed over all MoE layers.",
        gt=0,
        **PARAMETERS_BILLION,
    )]

    @model_validator(mode="after")
    def _check_routing(self) -> Self:
        if self.experts_per_token.value > self.routed_experts.value:
            raise ValueError(
                f"{shown(MixtureOfExperts, 'experts_per_token', self.experts_per_token)} cannot exceed "
                f"{shown(MixtureOfExperts, 'routed_experts', self.routed_experts)}"
            )
        return self


class LatentAttention(StrictModel):
    """Multi-head latent attention (DeepSeek-V2/V3): each layer caches one compressed latent per
    token, and decode attends over it directly (the up-projections absorbed into the query and
    output), as FlashMLA computes it."""

    kv_lora_rank: Annotated[Quantity, Q("dims", "Width of the cached key/value latent (DeepSeek-V3: 512); the value path's width in decode.", ge=1, whole=True, **ARCHITECTURE)]
    rope_head_dim: Annotated[Quantity, Q("dims", "Width of the decoupled rotary key cached beside the latent (DeepSeek-V3: 64).", ge=0, whole=True, **ARCHITECTURE)]


class TrainingRun(StrictModel):
    """How the model was (or would be) pre-trained."""

    accelerator_count: Annotated[Quantity, Q("accelerators", "Accelerators in the training cluster.", ge=1, whole=True, **COUNT)]
    mfu: Annotated[Quantity, Q(
        "fraction",
        "Model FLOP utilisation: achieved / peak FLOP/s at the training precision.",
        le=1,
        **MFU_FLOOR,
    )]
    published_training_flops: Annotated[Quantity, Q(
        "FLOP", "Published pre-training compute; overrides 6·N·D plus attention.", gt=0, **FLOPS
    )] | None = None
    published_accelerator_hours: Annotated[Quantity, Q(
        "accelerator-hours", "Published pre-training accelerator-hours; overrides FLOPs / (peak x MFU).", gt=0, **HOURS
    )] | None = None
    measured_power_w: Annotated[Quantity, Q(
        "W", "Measured average power per accelerator during training, host share included.", gt=0, **POWER_W
    )] | None = None
    experiment_overhead_fraction: Annotated[Quantity, Q(
        "fraction",
        "Extra compute for ablations, failed and exploratory runs, as a fraction of pre-training.",
        ge=0,
        **RATE_FRACTION,
    )] = Quantity(value=0)


class RLStage(StrictModel):
    """Reinforcement-learning post-training as it is run.

    Rollouts are generation (inference) of long samples; policy updates train
    on the generated tokens; the reward comes from rules/verifiers (automated)
    or from human annotators (people-hours and their cost).
    """

    prompts: Annotated[Quantity, Q("prompts", "Distinct prompts rolled out over the whole RL stage.", ge=0, whole=True, **PROMPTS)]
    samples_per_prompt: Annotated[Quantity, Q("samples", "Responses generated per prompt (group size).", ge=1, whole=True, **COUNT)]
    prompt_tokens: Annotated[Quantity, Q("tokens", "Mean prompt length of a rollout.", ge=0, **TOKENS)]
    response_tokens: Annotated[Quantity, Q("tokens", "Mean generated length of a rollout.", ge=1, **TOKENS)]
    policy_epochs: Annotated[Quantity, Q("epochs", "Passes of the policy update over the generated tokens.", ge=0, whole=True, **COUNT)] = Quantity(value=1)
    reward: Literal["rules", "human"] = "rules"
    reference_model: bool = Field(
        True, description="A frozen reference model scores every sample (KL penalty)."
    )
    human_seconds_per_sample: Annotated[Quantity, Q(
        "s", "Annotator time per judged sample (reward = human).", ge=0, **SECONDS
    )] | None = None
    annotator_usd_per_hour: Annotated[Quantity, Q("USD/h", "Annotator cost per hour (reward = human).", ge=0, **PRICE)] | None = None

    @model_validator(mode="after")
    def _check_human_reward(self) -> Self:
        if self.reward == "human" and (
            self.human_seconds_per_sample is None or self.annotator_usd_per_hour is None
        ):
            raise ValueError(
                f"reward 'human' needs {shown(RLStage, 'human_seconds_per_sample')} and "
                f"{shown(RLStage, 'annotator_usd_per_hour')}"
            )
        return self


class PostTraining(StrictModel):
    """Supervised fine-tuning and an optional RL stage."""

    sft_tokens_billion: Annotated[Quantity, Q("B tokens", "Tokens of supervised fine-tuning.", ge=0, **TOKENS_BILLION)] = Quantity(value=0)
    rl: RLStage | None = None


class Reasoning(StrictModel):
    """Chain-of-thought behaviour of a reasoning model."""

    reasoning_tokens_per_query: Annotated[Quantity, Q(
        "tokens", "Mean hidden reasoning (chain-of-thought) tokens written before the answer.", ge=0, **TOKENS
    )]
    reasoning_length_sigma: Annotated[Quantity, Q(
        "log-normal sigma",
        "Spread of reasoning lengths around the mean (log-normal sigma; 0: every query at the mean). "
        "Energy grows faster than length, so a spread raises the mean energy.",
        ge=0, le=3,
    )] = Quantity(value=0)


class ModelPreset(StrictModel):
    """An AI model preset."""

    kind: Literal["model"] = "model"
    name: Name
    description: Description = ""
    huggingface_id: Description = Field(
        "",
        description="Hugging Face repository id of the model (e.g. meta-llama/Llama-3.1-8B). Measured serving "
        "rows whose model id begins with it take this preset's shape in the calibration (its -Instruct and "
        "-FP8 releases share the architecture).",
    )
    total_parameters_billion: Annotated[Quantity, Q("B params", "All parameters held in memory.", gt=0, **PARAMETERS_BILLION)]
    active_parameters_billion: Annotated[Quantity, Q("B params", "Parameters used per token (MoE: a fraction).", gt=0, **PARAMETERS_BILLION)]
    layers: Annotated[Quantity, Q("layers", "Transformer layers.", ge=1, whole=True, **ARCHITECTURE)]
    hidden_size: Annotated[Quantity, Q("dims", "Model (residual stream) width d_model.", ge=1, whole=True, **ARCHITECTURE)]
    attention_heads: Annotated[Quantity, Q("heads", "Query heads per layer.", ge=1, whole=True, **ARCHITECTURE)]
    kv_heads: Annotated[Quantity, Q("heads", "Key/value heads per layer (grouped-query attention).", ge=1, whole=True, **ARCHITECTURE)]
    head_dim: Annotated[Quantity, Q("dims", "Dimension of one attention head; default hidden_size / attention_heads.", ge=1, whole=True, **ARCHITECTURE)] | None = None
    kv_cache_bytes_per_token: Annotated[Quantity, Q(
        "bytes/token",
        "KV-cache bytes per token over all layers; overrides the head-based size (latent attention).",
        gt=0,
        **ARCHITECTURE,
    )] | None = None
    latent_attention: LatentAttention | None = Field(
        None, description="Multi-head latent attention; absent: every query head attends over its own keys and values."
    )
    context_length_tokens: Annotated[Quantity, Q("tokens", "Pre-training sequence length (for the attention FLOPs).", ge=1, whole=True, **TOKENS)]
    weight_precision: Precision = Field("bf16", description="Precision of served weights.")
    published_serving: PublishedServing | None = Field(
        None,
        description="A lower weight precision the publisher ships for serving (Meta's FP8 Llama 3.1 405B): a "
        "deployment that names no precision serves it (an automatic one also tries the model's own).",
    )
    multi_token_prediction: MultiTokenPrediction | None = Field(
        None,
        description="The model's multi-token-prediction module; an automatic deployment may decode with it "
        "(speculatively) when that uses less energy per query.",
    )
    kv_precision: Precision = Field("bf16", description="Precision of the served KV cache.")
    training_precision: Precision = Field("bf16", description="Arithmetic precision of training.")
    moe: MixtureOfExperts | None = None
    pretraining_tokens_trillion: Annotated[Quantity, Q("T tokens", "Pre-training tokens.", gt=0, **TOKENS_TRILLION)]
    training: TrainingRun
    post_training: PostTraining | None = None
    reasoning: Reasoning | None = None

    @model_validator(mode="after")
    def _check_parameters(self) -> Self:
        total = self.total_parameters_billion
        if self.active_parameters_billion.value > total.value * (1 + 1e-9):
            raise ValueError(
                f"{shown(ModelPreset, 'active_parameters_billion', self.active_parameters_billion)} cannot exceed "
                f"{shown(ModelPreset, 'total_parameters_billion', total)}"
            )
        if self.kv_heads.value > self.attention_heads.value:
            raise ValueError(
                f"{shown(ModelPreset, 'kv_heads', self.kv_heads)} cannot exceed "
                f"{shown(ModelPreset, 'attention_heads', self.attention_heads)}"
            )
        if self.moe is not None:
            moe = self.moe
            routed = moe.routed_experts.value * moe.parameters_per_expert_billion.value
            if routed > total.value * (1 + 1e-6):
                raise ValueError(
                    f"{shown(MixtureOfExperts, 'routed_experts', moe.routed_experts)} x "
                    f"{shown(MixtureOfExperts, 'parameters_per_expert_billion', moe.parameters_per_expert_billion)}"
                    f" = {number(routed, 6)} B params exceed {shown(ModelPreset, 'total_parameters_billion', total)}"
                )
        return self
