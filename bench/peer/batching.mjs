// The peer half of bench/batching.sh (issue #5): the documents that `Llama.Bench batching workload` wrote, run through
// node-llama-cpp 3.22.1 on its prebuilt CPU binaries with one context of N sequences. Each sequence takes the next
// document as soon as it is free (node-llama-cpp batches the sequences' pending tokens into one llama_decode) and
// keeps the shared prefix it already holds (adaptStateToTokens erases only what differs): the peer's own way of
// reusing a prefix. Writes peer.json in the shape of bench/Llama.Bench/Batching.cs's BatchingRuns.
// Usage: node bench/peer/batching.mjs <folder>
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { LlamaGrammar, LlamaGrammarEvaluationState } from "node-llama-cpp";
import { loadPrebuiltCpuLlama } from "./llama.mjs";

const [folder] = process.argv.slice(2);
if (folder == null) {
    console.error("usage: node bench/peer/batching.mjs <folder>");
    process.exit(2);
}

const workload = JSON.parse(readFileSync(join(folder, "batching.json"), "utf8"));
const grammarText = readFileSync(join(folder, "batching.gbnf"), "utf8");
const llama = await loadPrebuiltCpuLlama();
const model = await llama.loadModel({ modelPath: workload.modelPath, gpuLayers: 0 });
const grammar = new LlamaGrammar(llama, { grammar: grammarText });

const runs = [];
for (const sequences of workload.sequences) {
    const context = await model.createContext({
        contextSize: workload.contextPerSequence,
        batchSize: workload.batchSize,
        sequences,
        threads: { ideal: workload.threads, min: workload.threads },
        flashAttention: "auto",
    });
    let next = 0;
    let promptTokensEvaluated = 0;
    let generatedTokens = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: sequences }, async () => {
        const sequence = context.getSequence();
        while (next < workload.documents.length) {
            const tokens = [...workload.prefixTokens, ...workload.documents[next++]];
            await sequence.adaptStateToTokens(tokens, false);
            const kept = sequence.nextTokenIndex;
            promptTokensEvaluated += tokens.length - kept;
            const grammarEvaluationState = new LlamaGrammarEvaluationState({ model, grammar });
            let generated = 0;
            for await (const token of sequence.evaluate(tokens.slice(kept), { temperature: 0, grammarEvaluationState })) {
                generated++;
                if (generated === workload.maxTokens) {
                    break;
                }
            }
            generatedTokens += generated;
        }
        sequence.dispose();
    }));
    const seconds = (performance.now() - started) / 1000;
    runs.push({ sequences, prefixReuse: true, documents: workload.documents.length, seconds, promptTokensEvaluated, generatedTokens });
    console.log(`peer  N=${String(sequences).padStart(2)}: ${(workload.documents.length / seconds * 60).toFixed(1)} documents/min (${seconds.toFixed(1)} s)`);
    await context.dispose();
}

const version = JSON.parse(readFileSync(new URL("node_modules/node-llama-cpp/package.json", import.meta.url), "utf8")).version;
writeFileSync(join(folder, "peer.json"), JSON.stringify({
    engine: "peer",
    description: `node-llama-cpp ${version} (${llama.buildType} binaries, llama.cpp ${llama.llamaCppRelease.release}, ${workload.threads} threads, one context of N sequences)`,
    runs,
}, null, 2));
await model.dispose();
await llama.dispose();
