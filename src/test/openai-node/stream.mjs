// One streamed chat completion with the official OpenAI Node SDK, timed on arrival.
// Usage: node stream.mjs <baseURL> <apiKey> <model> <prompt>
// Prints one JSON line: when each content delta arrived (ms after the request was sent), the
// content, the finish reason, the usage, and the total time to the end of the stream.
import OpenAI from "openai";

const [baseURL, apiKey, model, prompt] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });
const started = performance.now();
const stream = await client.chat.completions.create({
  model,
  stream: true,
  stream_options: { include_usage: true },
  messages: [{ role: "user", content: prompt }],
});
const arrivals = [];
let content = "";
let finish = null;
let usage = null;
for await (const chunk of stream) {
  const now = performance.now() - started;
  for (const choice of chunk.choices) {
    if (choice.delta?.content) {
      arrivals.push(Math.round(now * 10) / 10);
      content += choice.delta.content;
    }
    if (choice.finish_reason) {
      finish = choice.finish_reason;
    }
  }
  if (chunk.usage) {
    usage = chunk.usage;
  }
}
const totalMs = Math.round((performance.now() - started) * 10) / 10;
console.log(JSON.stringify({ arrivals, content, finish, usage, totalMs }));
