// Stored responses (responses.store.enabled) through the official OpenAI Node SDK against the local
// gateway and its echo model: create, continue with previous_response_id, retrieve, inputItems.list,
// delete, and another key that sees nothing. Run by StoredResponsesEndToEndTest:
//   node stored-client.mjs BASE_URL KEY OTHER_KEY MODEL
// Prints one "ok"/"FAIL" line per check and a closing "N passed, N failed" line; exit 1 on failure.
import OpenAI from 'openai';

const [baseURL, apiKey, otherKey, model] = process.argv.slice(2);
if (!baseURL || !apiKey || !otherKey || !model) {
  console.error('usage: node stored-client.mjs BASE_URL KEY OTHER_KEY MODEL');
  process.exit(2);
}
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60_000 });
const other = new OpenAI({ baseURL, apiKey: otherKey, maxRetries: 0, timeout: 60_000 });
let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    const detail = await fn();
    passed++;
    console.log(`ok   ${name}${detail ? ' ' + detail : ''}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e?.constructor?.name}: ${e?.message}`);
  }
}
const must = (cond, msg) => { if (!cond) throw new Error(msg); };
async function notFound(fn) {
  try {
    await fn();
  } catch (e) {
    must(e instanceof OpenAI.NotFoundError && e.status === 404, `expected NotFoundError, got ${e?.constructor?.name} ${e?.status}`);
    return e.message;
  }
  throw new Error('found');
}

let first;
let second;
await check('create: stored by default', async () => {
  first = await client.responses.create({ model, input: 'Remember the number 42' });
  must(first.store === true && first.previous_response_id === null, `store=${first.store}`);
  return first.id;
});

await check('create: previous_response_id continues it', async () => {
  second = await client.responses.create({ model, input: 'What was the number?', previous_response_id: first.id });
  must(second.previous_response_id === first.id, `previous_response_id=${second.previous_response_id}`);
  must(second.output_text.endsWith(': What was the number?'), `output_text=${second.output_text}`);
  return JSON.stringify(second.output_text);
});

await check('retrieve: the stored response', async () => {
  const r = await client.responses.retrieve(first.id);
  must(r.id === first.id && r.object === 'response' && r.status === 'completed', `id=${r.id}`);
  must(r.output[0].content[0].text === first.output_text, `text=${r.output[0].content[0].text}`);
});

await check('inputItems.list: that request\'s own items', async () => {
  const items = [];
  for await (const item of client.responses.inputItems.list(second.id)) {
    items.push(item);
  }
  must(items.length === 1 && items[0].type === 'message' && items[0].role === 'user'
    && items[0].content[0].text === 'What was the number?' && typeof items[0].id === 'string', JSON.stringify(items));
});

await check('another key: retrieve, inputItems.list, delete and previous_response_id are 404', async () => {
  await notFound(() => other.responses.retrieve(first.id));
  await notFound(() => other.responses.inputItems.list(first.id));
  await notFound(() => other.responses.delete(first.id));
  const message = await notFound(() => other.responses.create({ model, input: 'x', previous_response_id: first.id }));
  must(message.includes(`Previous response with id '${first.id}' not found.`), message);
});

await check('delete: then it is gone', async () => {
  await client.responses.delete(first.id);
  await notFound(() => client.responses.retrieve(first.id));
});

await check('store: false keeps nothing', async () => {
  const r = await client.responses.create({ model, input: 'Forget me', store: false });
  must(r.store === false, `store=${r.store}`);
  await notFound(() => client.responses.retrieve(r.id));
});

await check('stream: a streamed response is stored too', async () => {
  const stream = await client.responses.create({ model, input: 'Stream me', stream: true });
  let done;
  for await (const event of stream) {
    if (event.type === 'response.completed') done = event.response;
  }
  must(done && done.store === true, `store=${done?.store}`);
  const r = await client.responses.retrieve(done.id);
  must(r.output[0].content[0].text.endsWith(': Stream me'), JSON.stringify(r.output));
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
