global using Xunit;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
// Each class starts its own API and worker processes; two classes at once would only fight over 2 cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
