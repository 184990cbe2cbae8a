"""How a model is deployed for serving: replica size, parallelism, batch, precision, caching, drafting.

Every field is optional or has a neutral default. The shipped ``automatic``
deployment sets nothing: the engine then searches the replica and weight
precision with the least energy per query at the comparison's service level
(``app.engine.operating_point``), with tensor parallelism, experts spread over
the whole replica, the largest batch the speed and memory allow, no prefix
cache and no drafting.
"""


from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from app.domain.base import StrictModel
from app.domain.limits import COUNT
from app.domain.precision import Precision
from app.domain.quantity import Q, Quantity, shown
from app.domain.text import Description, Name


class DeploymentPreset(StrictModel):
    """A serving deployment of one model on one kind of accelerator."""

    kind: Literal["deployment"] = "deployment"
    name: Name
    description: Description = ""
    accelerators_per_replica: Annotated[Quantity, Q(
        "accelerators",
        "Accelerators that together hold one copy of the model and serve one batch; automatic when absent "
        "(the fewest that hold the weights with room for the KV cache).",
        ge=1,
        whole=True,
        **COUNT,
    )] | None = None
    data_parallel: Annotated[Quantity, Q(
        "replicas",
        "Attention replicas inside one replica (data-parallel attention, each on accelerators / this many); "
        "1 is plain tensor parallelism.",
        ge=1,
        whole=True,
        **COUNT,
    )] = Quantity(value=1)
    expert_parallel: Annotated[Quantity, Q(
        "accelerators",
        "Accelerators the routed experts are spread over, whole experts on each (expert parallelism); "
        "all of the replica when absent. Dense models ignore it.",
        ge=1,
        whole=True,
        **COUNT,
    )] | None = None
    batch_size: Annotated[Quantity, Q(
        "sequences",
        "Cap on the sequences one replica decodes together (the server's max_num_seqs); none when absent: "
        "the service level and the KV-cache memory set the batch.",
        ge=1,
        whole=True,
        **COUNT,
    )] | None = None
    tokens_per_second_per_user: Annotated[Quantity, Q(
        "tokens/s",
        "Per-user speed the operator promises: the batch is the largest (up to the cap) at which every user "
        "still gets this many tokens per second; none when absent.",
        gt=0,
        le=1e5,
    )] | None = None
    weight_precision: Precision | None = Field(None, description="Precision of the served weights; when absent, the one the model's publisher serves it at "
                                                  "(published_serving), else the model's own.")
    kv_precision: Precision | None = Field(None, description="Precision of the served KV cache; the model's when absent.")
    dispatch_precision: Precision | None = Field(
        None,
        description="Precision in which expert parallelism's all-to-all dispatch sends each token's activations "
        "to its experts (DeepSeek and DeepEP send FP8); 16-bit when absent. The combine that brings the "
        "results back is always 16-bit.",
    )
    per_server_dispatch: Literal["none", "prefill", "prefill_and_decode"] = Field(
        "none",
        description="Phases whose expert all-to-all sends a token once per other server that holds any of its "
        "experts and forwards it to their accelerators over the scale-up links (DeepEP's normal kernels, used "
        "for prefill), instead of once per expert copy (its low-latency kernels, used for decode). 'none', the "
        "default, sends every copy separately.",
    )
    max_servers_per_token: Annotated[Quantity, Q(
        "servers",
        "Most servers one token's experts may span (DeepSeek-V3's node-limited routing: 4); no limit when "
        "absent. Only lowers the traffic of per-server dispatch.",
        ge=1,
        whole=True,
        **COUNT,
    )] | None = None
    communication_overlap: Annotated[Quantity, Q(
        "fraction",
        "Share of the expert-parallel all-to-all time hidden behind computation by splitting each step's batch "
        "in two micro-batches (two-batch overlap: one computes while the other communicates). 0, the "
        "default, runs one batch and waits for every transfer (vLLM's default, the calibration data); above 0 "
        "each micro-batch reads the weights once more.",
        ge=0,
        le=1,
    )] = Quantity(value=0)
    prefill_chunk_tokens: Annotated[Quantity, Q(
        "tokens",
        "Most prompt tokens the scheduler takes into one step (vLLM's max_num_batched_tokens, SGLang's "
        "chunked_prefill_size). A prompt enters whole, or in chunks of this size; absent: 8,192, vLLM's "
        "default on 80 GB-class GPUs.",
        ge=1,
        le=1_000_000,
        whole=True,
    )] | None = None
    prompt_cache_share: Annotated[Quantity, Q(
        "fraction",
        "Share of prompt tokens found in a prefix (context) cache and not computed again; absent, the "
        "market's share of repeated prompt tokens (every current server keeps a prefix cache).",
        ge=0,
        le=1,
    )] | None = None
    draft_tokens: Annotated[Quantity, Q(
        "tokens",
        "Tokens proposed per decode step beyond the first by multi-token prediction or speculative decoding "
        "(0: none); every step verifies them all.",
        ge=0,
        le=16,
        whole=True,
    )] = Quantity(value=0)
    draft_acceptance: Annotated[Quantity, Q(
        "fraction", "Probability that a drafted token is accepted (each one given the previous was).", ge=0, le=1
    )] = Quantity(value=0)

    @model_validator(mode="after")
    def _check_layout(self) -> Self:
        n = self.accelerators_per_replica
        if n is not None:
            for name in ("data_parallel", "expert_parallel"):
                part = getattr(self, name)
                if part is not None and part.value > n.value:
                    raise ValueError(f"{shown(DeploymentPreset, name, part)} cannot exceed "
                                     f"{shown(DeploymentPreset, 'accelerators_per_replica', n)}")
        return self
