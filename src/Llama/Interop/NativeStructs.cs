// The llama.h structs this binding passes by value or by pointer. Field names, order and types follow the header
// exactly (C bool is byte here, function pointers we never set are nint) so that every struct stays blittable and
// the ABI test (tests/Llama.Tests/Abi) can compare each field's offset with offsetof() compiled against llama.h.
using llama_pos = int;
using llama_seq_id = int;
using llama_token = int;

namespace DocExtract.Llama.Interop;

// Most fields are only ever written by llama.cpp (the *_default_params functions, llama_batch_init) and read there.
#pragma warning disable CS0649

internal struct llama_token_data
{
    public llama_token id;
    public float logit;
    public float p;
}

internal unsafe struct llama_token_data_array
{
    public llama_token_data* data;
    public nuint size;
    public long selected;
    public byte sorted;
}

internal unsafe struct llama_batch
{
    public int n_tokens;
    public llama_token* token;
    public float* embd;
    public llama_pos* pos;
    public int* n_seq_id;
    public llama_seq_id** seq_id;
    public sbyte* logits;
}

internal unsafe struct llama_chat_message
{
    public byte* role;
    public byte* content;
}

internal struct llama_sampler_chain_params
{
    public byte no_perf;
}

internal struct llama_model_params
{
    public nint devices;
    public nint tensor_buft_overrides;
    public int n_gpu_layers;
    public llama_split_mode split_mode;
    public llama_load_mode load_mode;
    public llama_lazy_mode lazy_mode;
    public int main_gpu;
    public nint tensor_split;
    public nint progress_callback;
    public nint progress_callback_user_data;
    public nint kv_overrides;
    public byte vocab_only;
    public byte check_tensors;
    public byte use_extra_bufts;
    public byte no_host;
    public byte no_alloc;
    public byte load_mtp;
}

internal struct llama_context_params
{
    public uint n_ctx;
    public uint n_batch;
    public uint n_ubatch;
    public uint n_seq_max;
    public uint n_rs_seq;
    public uint n_outputs_max;
    public uint n_outputs_max_per_seq;
    public int n_threads;
    public int n_threads_batch;
    public llama_context_type ctx_type;
    public llama_rope_scaling_type rope_scaling_type;
    public llama_pooling_type pooling_type;
    public llama_attention_type attention_type;
    public llama_flash_attn_type flash_attn_type;
    public float rope_freq_base;
    public float rope_freq_scale;
    public float yarn_ext_factor;
    public float yarn_attn_factor;
    public float yarn_beta_fast;
    public float yarn_beta_slow;
    public uint yarn_orig_ctx;
    public float defrag_thold;
    public nint cb_eval;
    public nint cb_eval_user_data;
    public ggml_type type_k;
    public ggml_type type_v;
    public nint abort_callback;
    public nint abort_callback_data;
    public byte embeddings;
    public byte offload_kqv;
    public byte no_perf;
    public byte op_offload;
    public byte swa_full;
    public byte kv_unified;
    public nint samplers;
    public nuint n_samplers;
    public nint ctx_other;
}
