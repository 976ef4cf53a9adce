// The official OpenAI Node SDK's Responses API calls against the local gateway and its echo model
// (docs/local-gateway.md, "The echo model"), each result checked. Run by ResponsesClientsEndToEndTest:
//   node sdk-client.mjs BASE_URL KEY MODEL
// Prints one "ok"/"FAIL" line per check and a closing "N passed, N failed" line; exit 1 on failure.
import OpenAI from 'openai';
import { zodTextFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { args, check, finish } from './checks.mjs';

const { baseURL, apiKey, model } = args('sdk-client.mjs');
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60_000 });
const must = (cond, msg) => { if (!cond) throw new Error(msg); };
const tools = [{
  type: 'function', name: 'get_weather', description: 'Weather for a city', strict: true,
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
}];
const PIXEL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

await check('create: string input -> output_text', async () => {
  const r = await client.responses.create({ model, input: 'Say hello', instructions: 'Be brief.' });
  must(r.object === 'response' && r.id.startsWith('resp_'), `bad id/object ${r.id} ${r.object}`);
  must(r.output_text.startsWith('Echo from ') && r.output_text.endsWith(': Say hello'), `output_text=${r.output_text}`);
  must(r.usage.input_tokens > 0 && r.usage.output_tokens > 0 && r.usage.input_tokens_details.cached_tokens === 0
    && r.usage.output_tokens_details.reasoning_tokens === 0
    && r.usage.total_tokens === r.usage.input_tokens + r.usage.output_tokens, `usage=${JSON.stringify(r.usage)}`);
  return JSON.stringify(r.output_text);
});

await check('create: item list (input_text, input_image data URL, assistant output_text)', async () => {
  const r = await client.responses.create({
    model,
    input: [
      { role: 'developer', content: 'You are terse.' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'What is in this image?' }, { type: 'input_image', image_url: PIXEL, detail: 'auto' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'A pixel.', annotations: [] }] },
      { role: 'user', content: 'Thanks, and again?' },
    ],
    temperature: 0.2, top_p: 0.9, max_output_tokens: 256, metadata: { team: 'a' }, user: 'u-1',
  });
  must(r.status === 'completed', `status ${r.status}`);
  must(r.output_text.endsWith(': Thanks, and again?') && r.metadata.team === 'a', `output_text=${r.output_text}`);
  return JSON.stringify(r.output_text);
});

await check('create: function tool round trip (function_call -> function_call_output)', async () => {
  const first = await client.responses.create({ model, input: 'Use get_weather for Paris', tools, tool_choice: 'auto', parallel_tool_calls: false });
  const call = first.output.find((o) => o.type === 'function_call');
  must(call && call.call_id && call.name === 'get_weather', `no function_call in ${JSON.stringify(first.output)}`);
  const second = await client.responses.create({
    model, tools,
    input: [
      { role: 'user', content: 'Use get_weather for Paris' },
      { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
      { type: 'function_call_output', call_id: call.call_id, output: '{"temp_c":21}' },
    ],
  });
  must(second.output_text.includes('get_weather returned: {"temp_c":21}'), `second output_text=${second.output_text}`);
  return JSON.stringify(second.output_text);
});

await check('create: text.format json_schema -> JSON text', async () => {
  const r = await client.responses.create({
    model, input: 'Give me a person',
    text: { format: { type: 'json_schema', name: 'person', strict: true, schema: { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name', 'age'], additionalProperties: false } } },
  });
  const parsed = JSON.parse(r.output_text);
  must(typeof parsed.name === 'string' && Number.isInteger(parsed.age), `not schema-shaped: ${r.output_text}`);
  return r.output_text;
});

await check('parse: zodTextFormat -> output_parsed', async () => {
  const r = await client.responses.parse({
    model, input: 'Give me a person',
    text: { format: zodTextFormat(z.object({ name: z.string(), age: z.number().int() }), 'person') },
  });
  must(r.output_parsed && typeof r.output_parsed.name === 'string', `output_parsed=${JSON.stringify(r.output_parsed)}`);
  return JSON.stringify(r.output_parsed);
});

await check('stream: responses.stream -> events + finalResponse()', async () => {
  const s = client.responses.stream({ model, input: 'Stream hello' });
  const types = [];
  let deltas = '';
  s.on('response.output_text.delta', (e) => { deltas += e.delta; });
  for await (const e of s) types.push(e.type);
  const final = await s.finalResponse();
  must(final.output_text === deltas, `final.output_text=${final.output_text} deltas=${deltas}`);
  must(final.status === 'completed' && final.output_text.endsWith(': Stream hello'), `status ${final.status}`);
  must(types[0] === 'response.created' && types.at(-1) === 'response.completed', `types ${types}`);
  return types.join(',');
});

await check('stream: create({stream:true}) raw events', async () => {
  const s = await client.responses.create({ model, input: 'Stream hello', stream: true });
  const types = [];
  let completed;
  for await (const e of s) { types.push(e.type); if (e.type === 'response.completed') completed = e.response; }
  must(completed && completed.output.some((o) => o.type === 'message'), 'no response.completed with a message in its output');
  return types.length + ' events';
});

await check('stream: function call via responses.stream', async () => {
  const s = client.responses.stream({ model, input: 'Use get_weather for Rome', tools });
  let args = '';
  s.on('response.function_call_arguments.delta', (e) => { args += e.delta; });
  const final = await s.finalResponse();
  const call = final.output.find((o) => o.type === 'function_call');
  must(call && call.name === 'get_weather' && call.call_id && call.arguments === args, `call=${JSON.stringify(call)} args=${args}`);
  return JSON.stringify(call);
});

await check('incomplete: max_output_tokens reached (non-stream)', async () => {
  const r = await client.responses.create({ model, input: 'Tell me a long story about the sea, the ships and the sailors who sail them', max_output_tokens: 16 });
  must(r.status === 'incomplete' && r.incomplete_details?.reason === 'max_output_tokens', `status=${r.status} details=${JSON.stringify(r.incomplete_details)}`);
  return JSON.stringify(r.output_text);
});

await check('incomplete: max_output_tokens reached (stream, finalResponse resolves)', async () => {
  const s = client.responses.stream({ model, input: 'Tell me a long story about the sea, the ships and the sailors who sail them', max_output_tokens: 16 });
  const final = await s.finalResponse();
  must(final.status === 'incomplete' && final.incomplete_details?.reason === 'max_output_tokens', `status=${final.status}`);
  return JSON.stringify(final.output_text);
});

async function refused(call, errorClass, status, param, code, words) {
  try {
    await call();
  } catch (e) {
    must(e instanceof errorClass, `got ${e?.constructor?.name}: ${e?.message}`);
    must(e.status === status && e.param === param && e.code === code, `status=${e.status} param=${e.param} code=${e.code}`);
    must(e.message.includes(words), `message=${e.message}`);
    return `${e.status} ${e.type} ${e.param} ${e.code}`;
  }
  throw new Error('accepted');
}

await check('error: a built-in tool is a BadRequestError naming it, with the Codex fix', () => refused(
  () => client.responses.create({ model, input: 'x', tools: [{ type: 'web_search' }] }),
  OpenAI.BadRequestError, 400, 'tools[0].type', 'unsupported_parameter', 'web_search = "disabled"'));

await check('error: background is a BadRequestError', () => refused(
  () => client.responses.create({ model, input: 'x', background: true }),
  OpenAI.BadRequestError, 400, 'background', 'unsupported_parameter', 'Background responses'));

await check('error: an unknown item type is a BadRequestError', () => refused(
  () => client.responses.create({ model, input: [{ type: 'web_search_call', id: 'ws_1' }] }),
  OpenAI.BadRequestError, 400, 'input[0].type', 'invalid_value', "'function_call_output'"));

await check('error: a wrong type is a BadRequestError', () => refused(
  () => client.responses.create({ model, input: 'x', temperature: 'hot' }),
  OpenAI.BadRequestError, 400, 'temperature', 'invalid_type', 'expected a number'));

await check('error: a tool name Bedrock refuses is named in Responses terms', () => refused(
  () => client.responses.create({ model, input: 'x', tools: [{ type: 'function', name: 'bad name', parameters: {} }] }),
  OpenAI.BadRequestError, 400, 'tools[0].name', 'invalid_value', 'bad name'));

await check('error: previous_response_id says how to turn storage on', () => refused(
  () => client.responses.create({ model, input: 'x', previous_response_id: 'resp_123' }),
  OpenAI.BadRequestError, 400, 'previous_response_id', 'invalid_request', 'keeps none'));

await check('error: an unknown model is a NotFoundError', () => refused(
  () => client.responses.create({ model: 'no-such-model', input: 'x' }),
  OpenAI.NotFoundError, 404, 'model', 'model_not_found', 'no-such-model'));

finish();
