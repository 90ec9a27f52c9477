// The peer half of bench/llama.sh (issue #3): the workload that `Llama.Bench peer workload` wrote, run through
// node-llama-cpp 3.22.1 on its prebuilt CPU binaries (the same llama.cpp build as native/cpu), with the same rounds
// as ours. Writes peer-<pass>.json in the shape of bench/Llama.Bench/PeerRuns.cs.
// Usage: node bench/peer/bench.mjs <folder> <pass>
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { LlamaGrammar, LlamaGrammarEvaluationState } from "node-llama-cpp";
import { loadPrebuiltCpuLlama } from "./llama.mjs";

const [folder, passText] = process.argv.slice(2);
if (folder == null || passText == null) {
    console.error("usage: node bench/peer/bench.mjs <folder> <pass>");
    process.exit(2);
}

const loadBefore = loadavg()[0];
const workload = JSON.parse(readFileSync(join(folder, "workload.json"), "utf8"));
const grammarText = readFileSync(join(folder, "grammar.gbnf"), "utf8");

const llama = await loadPrebuiltCpuLlama();
const model = await llama.loadModel({ modelPath: workload.modelPath, gpuLayers: 0 });
const prompt = workload.promptTokens;
checkTokenizer();

const grammar = new LlamaGrammar(llama, { grammar: grammarText });
const contexts = [];
for (const threads of workload.threads) {
    // flashAttention "auto" and F16 KV cache: llama_context_default_params, which ours uses too.
    contexts.push(await model.createContext({
        contextSize: workload.contextSize,
        batchSize: workload.batchSize,
        sequences: 1,
        threads: { ideal: threads, min: threads },
        flashAttention: "auto",
    }));
}

const runs = [];
for (const context of contexts) {
    for (const withGrammar of [false, true]) {
        await generate(context, prompt.slice(0, 16), 8, withGrammar);
    }
}

for (let round = 0; round < workload.rounds; round++) {
    for (const [i, context] of contexts.entries()) {
        for (const withGrammar of [false, true]) {
            const result = await generate(context, prompt, workload.maxTokens, withGrammar);
            runs.push({ threads: workload.threads[i], grammar: withGrammar, round, ...result });
        }
    }
}

for (const [i, context] of contexts.entries()) {
    if (context.currentThreads !== workload.threads[i]) {
        throw new Error(`context ${i} ran on ${context.currentThreads} threads instead of ${workload.threads[i]}`);
    }
}

const version = JSON.parse(readFileSync(new URL("node_modules/node-llama-cpp/package.json", import.meta.url), "utf8")).version;
const description = `node-llama-cpp ${version} (${llama.buildType} binaries, gpu ${llama.gpu}, llama.cpp ${llama.llamaCppRelease.release}, ` +
    `${llama.cpuMathCores} math cores)`;
writeFileSync(join(folder, `peer-${passText}.json`),
    JSON.stringify({ engine: "peer", description, pass: Number(passText), load: [loadBefore, loadavg()[0]], runs }, null, 2));
console.log(`peer, pass ${passText}: ${runs.length} runs`);
await model.dispose();
await llama.dispose();

/**
 * One generation from an empty sequence, as ours does it. The generator decodes the prompt and samples the first token
 * in its first step, then decodes each token and samples the next: the prompt time runs to the first token, the
 * generation time from there to the last token (or to the end of the text).
 */
async function generate(context, tokens, maxTokens, withGrammar) {
    const sequence = context.getSequence();
    try {
        const grammarEvaluationState = withGrammar ? new LlamaGrammarEvaluationState({ model, grammar }) : undefined;
        const generated = [];
        const started = performance.now();
        let firstToken;
        let ended;
        let stop = "eog";
        for await (const token of sequence.evaluate(tokens, { temperature: 0, grammarEvaluationState })) {
            const now = performance.now();
            generated.push(token);
            firstToken ??= now;
            if (generated.length === maxTokens) {
                ended = now;
                stop = "max";
                break;
            }
        }
        ended ??= performance.now();
        firstToken ??= ended;

        return {
            promptTokens: tokens.length,
            promptSeconds: (firstToken - started) / 1000,
            generatedTokens: generated.length,
            generationSteps: stop === "eog" ? generated.length : generated.length - 1,
            generationSeconds: (ended - firstToken) / 1000,
            stop,
            tokenIds: generated,
        };
    } finally {
        sequence.dispose();
    }
}

/** The peer's tokenizer must give the same ids for the prompt text (its tokenize adds no BOS; ours did). */
function checkTokenizer() {
    const own = [...model.tokenize(workload.promptText, true)];
    const expected = prompt[0] === model.tokens.bos ? prompt.slice(1) : prompt;
    const same = own.length === expected.length && own.every((token, i) => token === expected[i]);
    if (!same) {
        throw new Error(`node-llama-cpp tokenizes the prompt into ${own.length} tokens, ours into ${expected.length} (without BOS): ` +
            "not the same tokenizer");
    }
}
