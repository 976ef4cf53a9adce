// The same long system prompt, marked for caching, sent twice with the official OpenAI Node SDK, then
// once more streamed with include_usage. Prints the three usage objects as one JSON line; the Java test
// (PromptCachingNodeSdkTest) asserts on them. Configured by GATEWAY_URL, GATEWAY_KEY and MODEL.
import OpenAI from "openai";

const client = new OpenAI({ baseURL: process.env.GATEWAY_URL, apiKey: process.env.GATEWAY_KEY, maxRetries: 0 });
const system = "You answer questions about the handbook below.\n" + "The handbook says: be kind. ".repeat(1200);
const messages = [
  // cache_control is not in the SDK's types; the SDK sends the part as given.
  { role: "system", content: [{ type: "text", text: system, cache_control: { type: "ephemeral" } }] },
  { role: "user", content: "What does the handbook say?" },
];

const first = await client.chat.completions.create({ model: process.env.MODEL, messages });
const second = await client.chat.completions.create({ model: process.env.MODEL, messages });
let streamed = null;
const stream = await client.chat.completions.create({
  model: process.env.MODEL, messages, stream: true, stream_options: { include_usage: true },
});
for await (const chunk of stream) {
  if (chunk.usage) {
    streamed = chunk.usage;
  }
}
console.log(JSON.stringify({ first: first.usage, second: second.usage, streamed }));
