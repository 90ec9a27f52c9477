namespace DocExtract.Llama.Tests.Abi;

/// <summary>
/// The C# mirror of llama.h must match the header the binaries were built from, field for field: a drift here is
/// memory corruption at run time, so it has to fail here, loudly, with the name of what moved.
/// </summary>
public sealed class The_interop_declarations
{
    private static readonly Lazy<HeaderProbe> _probe = new(HeaderProbe.Run);

    [Fact]
    public void Bind_the_structs_this_binding_needs()
    {
        Assert.Equal(
            ["llama_batch", "llama_chat_message", "llama_context_params", "llama_model_params", "llama_sampler_chain_params", "llama_token_data", "llama_token_data_array"],
            NativeLayout.Structs.Select(t => t.Name));
    }

    [Fact]
    public void Have_the_size_and_field_offsets_that_cc_computes_from_llama_h()
    {
        var values = _probe.Value.Values;
        var mismatches = new List<string>();
        foreach (var type in NativeLayout.Structs)
        {
            Compare($"size {type.Name}", NativeLayout.SizeOf(type));
            foreach (var field in NativeLayout.Fields(type))
            {
                Compare($"offset {type.Name}.{field.Name}", NativeLayout.OffsetOf(type, field));
                Compare($"fieldsize {type.Name}.{field.Name}", NativeLayout.SizeOf(field.FieldType));
            }
        }

        Assert.True(mismatches.Count == 0, "C# layout differs from llama.h:\n" + string.Join('\n', mismatches));

        void Compare(string key, int managed)
        {
            if (values[key] != managed)
            {
                mismatches.Add($"{key}: C says {values[key]}, C# says {managed}");
            }
        }
    }

    [Fact]
    public void Declare_the_same_fields_in_the_same_order_as_llama_h()
    {
        foreach (var type in NativeLayout.Structs)
        {
            Assert.Equal(HeaderProbe.DeclaredFields(type.Name), NativeLayout.Fields(type).Select(f => f.Name));
        }
    }

    [Fact]
    public void Copy_enum_values_that_match_the_headers()
    {
        var values = _probe.Value.Values;
        var mismatches = NativeLayout.Enums
            .SelectMany(type => Enum.GetValues(type).Cast<Enum>().Select(member => (Type: type, Member: member)))
            .Select(e => (Key: $"enum {e.Type.Name}.{e.Member}", Managed: Convert.ToInt64(e.Member, System.Globalization.CultureInfo.InvariantCulture)))
            .Where(e => values[e.Key] != e.Managed)
            .Select(e => $"{e.Key}: C says {values[e.Key]}, C# says {e.Managed}")
            .ToList();
        Assert.True(mismatches.Count == 0, "enum values differ from the headers:\n" + string.Join('\n', mismatches));
        Assert.Equal(
            ["ggml_backend_dev_type", "ggml_log_level", "ggml_type", "llama_attention_type", "llama_context_type", "llama_flash_attn_type",
             "llama_lazy_mode", "llama_load_mode", "llama_pooling_type", "llama_rope_scaling_type", "llama_split_mode"],
            NativeLayout.Enums.Select(t => t.Name));
    }
}
