global using Xunit;

// DocExtract runs on Linux (poppler, prlimit, llama.cpp builds for linux-x64).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
