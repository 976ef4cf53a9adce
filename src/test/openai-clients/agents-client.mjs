// An OpenAI Agents SDK (JS) agent with one function tool, run to its final answer against the local
// gateway's echo model, once non-streamed (run(agent, input)) and once streamed (run(..., {stream: true})).
// Run by ResponsesClientsEndToEndTest:
//   node agents-client.mjs BASE_URL KEY MODEL
// Tracing is disabled (it would export spans to the OpenAI platform with the same key).
import OpenAI from 'openai';
import { Agent, run, tool, setDefaultOpenAIClient, setOpenAIAPI, setTracingDisabled } from '@openai/agents';
import { z } from 'zod';
import { args, check, finish } from './checks.mjs';

const { baseURL, apiKey, model } = args('agents-client.mjs');
setTracingDisabled(true);
setDefaultOpenAIClient(new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60_000 }));
setOpenAIAPI('responses'); // the default already; stated so a reader sees which API is under test

let calls = 0;
const getWeather = tool({
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => {
    calls++;
    return JSON.stringify({ city, temp_c: 21 });
  },
});
const agent = new Agent({
  name: 'Weather agent',
  instructions: 'Answer with the weather. Call get_weather when asked about weather.',
  model,
  tools: [getWeather],
});

await check('run(agent) non-streamed: tool call then final answer', async () => {
  const before = calls;
  const result = await run(agent, 'Use get_weather {"city": "Paris"} please.');
  if (calls !== before + 1) throw new Error(`tool ran ${calls - before} times`);
  if (!String(result.finalOutput).includes('get_weather returned: {"city":"Paris","temp_c":21}')) throw new Error(`finalOutput=${result.finalOutput}`);
  return JSON.stringify(result.finalOutput);
});

await check('run(agent, {stream: true}): tool call then final answer', async () => {
  const before = calls;
  const stream = await run(agent, 'Use get_weather {"city": "Rome"} please.', { stream: true });
  const kinds = new Set();
  for await (const ev of stream) kinds.add(ev.type === 'raw_model_stream_event' ? `raw:${ev.data.type}` : ev.type);
  await stream.completed;
  if (stream.error) throw stream.error;
  if (calls !== before + 1) throw new Error(`tool ran ${calls - before} times`);
  if (!String(stream.finalOutput).includes('get_weather returned: {"city":"Rome","temp_c":21}')) throw new Error(`finalOutput=${stream.finalOutput}`);
  return `${JSON.stringify(stream.finalOutput)} events=${[...kinds].join(',')}`;
});

finish();
