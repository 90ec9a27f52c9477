// What both peer scripts share: node-llama-cpp 3.22.1 on its prebuilt CPU binaries, or an error.
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

// No GPU, never a build from source, nothing downloaded: the prebuilt @node-llama-cpp/linux-x64 binaries or an error.
// maxThreads 0 lifts node-llama-cpp's own thread budget, so each context gets exactly the threads it asks for.
export async function loadPrebuiltCpuLlama() {
    const llama = await getLlama({
        gpu: false,
        build: "never",
        skipDownload: true,
        usePrebuiltBinaries: true,
        maxThreads: 0,
        progressLogs: false,
        logLevel: LlamaLogLevel.warn,
    });
    if (llama.buildType !== "prebuilt" || llama.gpu !== false) {
        throw new Error(`node-llama-cpp loaded a ${llama.buildType} build (gpu ${llama.gpu}), not its prebuilt CPU binaries`);
    }
    return llama;
}
