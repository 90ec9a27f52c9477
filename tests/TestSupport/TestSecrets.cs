using System.Security.Cryptography;

namespace DocExtract.TestSupport;

/// <summary>A Secrets:KeyFile of 32 random bytes for this test process, as scripts/setup.sh makes one (#14).</summary>
public static class TestSecrets
{
    private static readonly Lazy<string> _key = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"docextract-test-key-{Guid.NewGuid():N}");
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(32));
        return path;
    });

    public static string KeyFile => _key.Value;

    /// <summary>Another key, for a worker that was not given the API's.</summary>
    public static string OtherKeyFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"docextract-test-key-{Guid.NewGuid():N}");
        File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        return path;
    }
}
