// One chat completion with the official OpenAI Node SDK, not streamed.
// Usage: node chat.mjs <baseURL> <apiKey> <model> <prompt>
// Prints one JSON line: the finish reason and the content.
import OpenAI from "openai";

const [baseURL, apiKey, model, prompt] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });
const answer = await client.chat.completions.create({
  model,
  messages: [{ role: "user", content: prompt }],
});
console.log(JSON.stringify({ finish: answer.choices[0].finish_reason, content: answer.choices[0].message.content }));
