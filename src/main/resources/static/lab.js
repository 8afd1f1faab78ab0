// The symmetry lab: a page over initlab's public API, nothing else. Training runs are
// POST /api/v1/experiments (a job), followed by its Server-Sent Events; Stop is DELETE; the decision
// boundaries are /plots/boundary.svg. The propagation tab is POST /api/v1/propagation. Every request
// goes to a relative URL, so the page works behind a reverse proxy's path prefix too.
'use strict';

const API = 'api/v1';
const MAX_POLICIES = 4;
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
// Okabe & Ito's colour-blind-safe palette, one colour per policy.
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7'];
const KEY_STORAGE = 'initlab.apiKey';
const KEY_HEADER = 'X-API-Key';

// The preset choices: an `init` as docs/API.md sections 1 and 3.1 define it. Biases zero wherever the
// choice is a weight scheme.
const PRESETS = {
  zeros: { preset: 'zeros' },
  small: { preset: 'small_random' }, // normal(0, 0.01) weights, zero biases: the course's randn * 0.01
  large: { weight: { scheme: 'normal', std: 10 }, bias: { scheme: 'zeros' } }, // the course's randn * 10
  he: { weight: { scheme: 'kaiming_normal' }, bias: { scheme: 'zeros' } },
  xavier: { weight: { scheme: 'xavier_normal' }, bias: { scheme: 'zeros' } },
  lecun: { weight: { scheme: 'lecun_normal' }, bias: { scheme: 'zeros' } },
  orthogonal: { weight: { scheme: 'orthogonal' }, bias: { scheme: 'zeros' } },
  lsuv: { weight: { scheme: 'lsuv' }, bias: { scheme: 'zeros' } },
};

// A problem's limit property -> the control that sets the amount (limit-exceeded problems name the
// configuration property, not the field).
const LIMIT_FIELDS = {
  'initlab.experiments.max-iterations': 'lab-iterations',
  'initlab.experiments.max-records': 'lab-iterations',
  'initlab.experiments.max-work': 'lab-iterations',
  'initlab.experiments.max-width': 'lab-units',
  'initlab.experiments.max-depth': 'lab-layers',
  'initlab.experiments.max-samples': 'lab-dataset',
  'initlab.experiments.max-policies': 'lab-policies',
  'initlab.experiments.max-lsuv-iterations': 'lab-policies',
  'initlab.propagation.max-depth': 'prop-depth',
  'initlab.propagation.max-width': 'prop-width',
  'initlab.propagation.max-work': 'prop-depth',
  'initlab.propagation.max-elements': 'prop-width',
  'initlab.propagation.max-branch-layers': 'prop-block',
  'initlab.propagation.max-lsuv-iterations': 'prop-policies',
};

// A problem's `errors[].field` (the request's snake_case path) -> the control, per form.
const FIELD_RULES = {
  lab: [
    [/^seed\b/, 'lab-seed'],
    [/^dataset\b/, 'lab-dataset'],
    [/^model\.hidden_layers\[/, 'lab-units'],
    [/^model\.hidden_layers\b/, 'lab-layers'],
    [/^model\.activation\b/, 'lab-activation'],
    [/^training\.optimizer\b/, 'lab-optimizer'],
    [/^training\.learning_rate\b/, 'lab-lr'],
    [/^training\.(iterations|record_every)\b/, 'lab-iterations'],
    [/^policies\[(\d+)\]/, 'policy'],
    [/^policies\b/, 'lab-policies'],
  ],
  prop: [
    [/^seed\b/, 'prop-seed'],
    [/^depth\b/, 'prop-depth'],
    [/^width\b/, 'prop-width'],
    [/^activation\b/, 'prop-activation'],
    [/^block\b/, 'prop-block'],
    [/^policies\[(\d+)\]/, 'policy'],
    [/^policies\b/, 'prop-policies'],
  ],
};

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------
// API key: kept for this tab only (sessionStorage), sent as the header ApiKeyFilter reads.

function apiKey() {
  return $('api-key').value.trim();
}

function headers(extra = {}) {
  const key = apiKey();
  return key ? { ...extra, [KEY_HEADER]: key } : extra;
}

function setupApiKey() {
  const input = $('api-key');
  input.value = sessionStorage.getItem(KEY_STORAGE) || '';
  input.addEventListener('change', () => {
    const key = apiKey();
    if (key) {
      sessionStorage.setItem(KEY_STORAGE, key);
    } else {
      sessionStorage.removeItem(KEY_STORAGE);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Problems (RFC 9457) shown next to the field they name.

class Problem extends Error {
  constructor(status, body) {
    super((body && (body.detail || body.title)) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

async function problemOf(response) {
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = { detail: `HTTP ${response.status} ${response.statusText}` };
  }
  return new Problem(response.status, body);
}

function clearErrors(form) {
  for (const p of form.querySelectorAll('.field-error')) {
    p.textContent = '';
  }
  for (const el of form.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
  }
  $('api-key-error').textContent = '';
  $('api-key').removeAttribute('aria-invalid');
}

// Puts `text` under the control with this id (or a policy row), marks it invalid, returns it.
function showError(target, text) {
  let control;
  let slot;
  if (target instanceof Element) {
    control = target.querySelector('select, input, textarea');
    if (!target.querySelector('.custom').hidden) {
      control = target.querySelector('.policy-json');
    }
    slot = target.querySelector('.policy-error');
  } else {
    control = $(target);
    slot = $(`${target}-error`);
  }
  slot.textContent = slot.textContent ? `${slot.textContent} ${text}` : text;
  if (control && (control.tagName === 'FORM' || control.tagName === 'FIELDSET')) {
    // An error of the whole form or of the policies: focus goes to its first control.
    return control.querySelector('select, input, textarea');
  }
  if (control) {
    control.setAttribute('aria-invalid', 'true');
  }
  return control;
}

function targetOf(kind, form, field) {
  for (const [pattern, target] of FIELD_RULES[kind]) {
    const m = pattern.exec(field);
    if (m) {
      if (target === 'policy') {
        const rows = form.querySelectorAll('.policy');
        return rows[Number(m[1])] || `${kind}-policies`;
      }
      return target;
    }
  }
  return null;
}

// Shows a problem next to the fields it names; what names no field goes beside the run button.
function showProblem(kind, form, problem) {
  const body = problem.body;
  const shown = [];
  if (problem.status === 401) {
    shown.push(showError('api-key', body.detail || problem.message));
  } else if (body.property && LIMIT_FIELDS[body.property]) {
    shown.push(showError(LIMIT_FIELDS[body.property], body.detail));
  } else if (Array.isArray(body.errors) && body.errors.length > 0) {
    for (const error of body.errors) {
      const target = targetOf(kind, form, error.field || '');
      const text = body.errors.length === 1 ? body.detail : `${error.field}: ${error.message}`;
      shown.push(target ? showError(target, text) : showError(`${kind}-form`, text));
    }
  } else {
    shown.push(showError(`${kind}-form`, body.detail || problem.message));
  }
  const first = shown.find((c) => c && c.focus);
  if (first) {
    first.focus();
  }
}

// ---------------------------------------------------------------------------------------------
// Policies: 1 to 4 rows of a preset choice, a label and, for "custom", an init as JSON.

function setupPolicies(fieldset, prefix, defaults) {
  const list = fieldset.querySelector('.policy-list');
  const add = fieldset.querySelector('.add-policy');
  const template = $('policy-template');
  let next = 0;

  function renumber() {
    const rows = list.querySelectorAll('.policy');
    rows.forEach((row, i) => {
      row.querySelector('.policy-init-label').textContent = `Policy ${i + 1}`;
      row.querySelector('.remove-policy').setAttribute('aria-label', `Remove policy ${i + 1}`);
      row.querySelector('.remove-policy').disabled = rows.length <= 1;
    });
    add.disabled = rows.length >= MAX_POLICIES;
  }

  function addRow(choice) {
    const row = template.content.firstElementChild.cloneNode(true);
    const n = next++;
    const select = row.querySelector('.policy-init');
    const label = row.querySelector('.policy-label');
    const json = row.querySelector('.policy-json');
    const custom = row.querySelector('.custom');
    for (const [cls, part] of [['policy-init', 'init'], ['policy-label', 'label'], ['policy-json', 'json']]) {
      const id = `${prefix}-policy${n}-${part}`;
      row.querySelector(`.${cls}`).id = id;
      row.querySelector(`.${cls}-label`).htmlFor = id;
    }
    row.querySelector('.remove-policy').id = `${prefix}-policy${n}-remove`;
    const errorId = `${prefix}-policy${n}-error`;
    row.querySelector('.policy-error').id = errorId;
    for (const control of [select, label, json]) {
      control.setAttribute('aria-describedby', errorId);
    }
    select.value = choice;
    label.value = choice;
    label.dataset.auto = 'true';
    label.addEventListener('input', () => {
      label.dataset.auto = 'false';
    });
    select.addEventListener('change', () => {
      custom.hidden = select.value !== 'custom';
      if (select.value === 'custom') {
        if (!json.value.trim()) {
          json.value = JSON.stringify(PRESETS[label.value] || PRESETS.he);
        }
      } else if (label.dataset.auto === 'true') {
        label.value = select.value;
      }
    });
    row.querySelector('.remove-policy').addEventListener('click', () => {
      const rows = [...list.querySelectorAll('.policy')];
      const i = rows.indexOf(row);
      row.remove();
      renumber();
      const left = list.querySelectorAll('.policy');
      left[Math.min(i, left.length - 1)].querySelector('.policy-init').focus();
    });
    list.appendChild(row);
    renumber();
    return row;
  }

  add.addEventListener('click', () => {
    const used = new Set([...list.querySelectorAll('.policy-label')].map((l) => l.value));
    const choice = Object.keys(PRESETS).find((k) => !used.has(k)) || 'he';
    addRow(choice).querySelector('.policy-init').focus();
  });
  defaults.forEach((choice) => addRow(choice));
}

// The policies as the request's `policies`; a custom JSON that does not parse is reported here.
function readPolicies(fieldset) {
  const policies = [];
  let ok = true;
  for (const row of fieldset.querySelectorAll('.policy')) {
    const choice = row.querySelector('.policy-init').value;
    const label = row.querySelector('.policy-label').value.trim() || choice;
    if (choice !== 'custom') {
      policies.push({ label, init: PRESETS[choice] });
      continue;
    }
    let value;
    try {
      value = JSON.parse(row.querySelector('.policy-json').value);
    } catch (e) {
      showError(row, `The custom init is not valid JSON: ${e.message}`);
      ok = false;
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      showError(row, 'The custom init must be a JSON object, e.g. {"weight": {"scheme": "kaiming_normal"}}.');
      ok = false;
      continue;
    }
    // A whole policy ({"init": ..., "layers": ..., "recipe": ...}) or just its init.
    policies.push('init' in value ? { label, ...value } : { label, init: value });
  }
  return ok ? policies : null;
}

// An <input type=number>'s value, or undefined when empty (the server's default applies then).
function numberOf(id) {
  const text = $(id).value.trim();
  return text === '' ? undefined : Number(text);
}

// ---------------------------------------------------------------------------------------------
// JSON and Python, written the same way: one line where it fits, else one item per line.

function literal(value, python) {
  if (value === null) {
    return python ? 'None' : 'null';
  }
  if (typeof value === 'boolean') {
    return python ? (value ? 'True' : 'False') : String(value);
  }
  // JSON's number and string literals are Python's too.
  return JSON.stringify(value);
}

function pretty(value, python, indent = '', width = 88) {
  const inline = (v) => {
    if (Array.isArray(v)) {
      return `[${v.map(inline).join(', ')}]`;
    }
    if (v !== null && typeof v === 'object') {
      return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(', ')}}`;
    }
    return literal(v, python);
  };
  const flat = inline(value);
  if (indent.length + flat.length <= width || value === null || typeof value !== 'object') {
    return flat;
  }
  const inner = `${indent}    `;
  const items = Array.isArray(value)
    ? value.map((v) => inner + pretty(v, python, inner, width))
    : Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pretty(v, python, inner, width)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${items.join(',\n')}${python ? ',' : ''}\n${indent}${close}`;
}

const pyHead = (...modules) => `${['os', ...modules].map((m) => `import ${m}`).join('\n')}

import initlab

`;

const PY_CLIENT = `client = initlab.Client()  # the server: $INITLAB_URL, else http://localhost:8080
# Only when the server asks for an API key: export INITLAB_API_KEY=...
headers = {"X-API-Key": os.environ["INITLAB_API_KEY"]} if os.environ.get("INITLAB_API_KEY") else {}
`;

function pythonExperiment(request) {
  return `${pyHead('time')}request = ${pretty(request, true)}

${PY_CLIENT}experiments = f"{client.url}/api/v1/experiments"
response = client.session.post(experiments, json=request, headers={**headers, "Prefer": "wait=60"})
job = response.json()
if not response.ok:
    raise RuntimeError(job["detail"])
while job["status"] in ("queued", "running"):
    time.sleep(1)
    job = client.session.get(f"{experiments}/{job['id']}", headers=headers).json()
print(job["id"], job["status"])
for result in job["results"]:
    final = result["final"]
    if final:
        print(f"{result['label']:>12}: accuracy {final['train_accuracy']:.1%}, "
              f"distinct units {final['symmetry']['distinct_units']}. {result['verdict']}")
# A policy's decision boundary: {experiments}/{job['id']}/plots/boundary.svg?policy=LABEL (a picture)
# or, as a grid of predictions for a plot of your own:
#   client.session.get(f"{experiments}/{job['id']}/boundary", params={"policy": "LABEL"}, headers=headers).json()
`;
}

function pythonPropagation(request) {
  return `${pyHead()}request = ${pretty(request, true)}

${PY_CLIENT}response = client.session.post(f"{client.url}/api/v1/propagation", json=request, headers=headers)
body = response.json()
if not response.ok:
    raise RuntimeError(body["detail"])
for result in body["results"]:
    first, last = result["layers"][0], result["layers"][-1]
    print(f"{result['label']:>12}: {result['verdict']}; activation std {first['activation_std']:.3g} -> "
          f"{last['activation_std']:.3g}, gradient std {first['gradient_std']:.3g} -> {last['gradient_std']:.3g}")
`;
}

// Shows what is about to be sent and returns the body: the very text shown.
function showRequest(request, python) {
  const body = pretty(request, false);
  $('lab-request-json').textContent = body;
  $('lab-python').textContent = python;
  return body;
}

function setupCopyButtons() {
  for (const button of document.querySelectorAll('button.copy')) {
    button.addEventListener('click', async () => {
      const text = $(button.dataset.copy).textContent;
      const original = button.textContent;
      try {
        await navigator.clipboard.writeText(text);
        button.textContent = 'Copied';
      } catch (e) {
        // No clipboard (an insecure origin): select the text for Ctrl+C instead.
        const range = document.createRange();
        range.selectNodeContents($(button.dataset.copy));
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        button.textContent = 'Selected: press Ctrl+C';
      }
      setTimeout(() => {
        button.textContent = original;
      }, 2000);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Charts (Chart.js from the webjar).

function lineChart(canvas, yScales) {
  return new Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      interaction: { mode: 'nearest', intersect: false },
      elements: { point: { radius: 0 }, line: { borderWidth: 2 } },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'iteration' } },
        ...yScales,
      },
      plugins: { legend: { labels: { usePointStyle: true, pointStyle: 'line', boxWidth: 28 } } },
    },
  });
}

function makeCharts() {
  const loss = lineChart($('lab-loss-chart'), {
    y: { type: 'linear', min: 0, title: { display: true, text: 'loss' } },
  });
  const units = lineChart($('lab-units-chart'), {
    y: { type: 'linear', min: 0, ticks: { precision: 0 }, title: { display: true, text: 'distinct units' } },
    y2: {
      type: 'linear', position: 'right', min: -1, max: 1,
      grid: { drawOnChartArea: false }, title: { display: true, text: 'max cosine' },
    },
  });
  const prop = lineChart($('prop-chart'), {
    y: {
      type: 'logarithmic',
      title: { display: true, text: 'standard deviation (log scale)' },
      // Only the powers of ten, written as such.
      ticks: { callback: (v) => (Number.isInteger(Math.log10(v)) ? `1e${Math.log10(v)}` : '') },
    },
  });
  prop.options.scales.x.title.text = 'layer';
  return { loss, units, prop };
}

function dataset(label, colour, extra = {}) {
  return { label, data: [], borderColor: colour, backgroundColor: colour, ...extra };
}

// ---------------------------------------------------------------------------------------------
// The training experiment.

class Experiment {
  constructor(charts) {
    this.charts = charts;
    this.job = null; // {id, labels, iterations, done, last: [iteration drawn per policy], close}
  }

  start(request, labels) {
    const { loss, units } = this.charts;
    loss.data.datasets = labels.map((l, i) => dataset(l, COLOURS[i % COLOURS.length]));
    units.data.datasets = labels.flatMap((l, i) => [
      dataset(`${l}: distinct units`, COLOURS[i % COLOURS.length], { yAxisID: 'y', stepped: true }),
      dataset(`${l}: max cosine`, COLOURS[i % COLOURS.length], { yAxisID: 'y2', borderDash: [6, 4], borderWidth: 1.5 }),
    ]);
    units.options.scales.y.suggestedMax = request.model.hidden_layers[0] || 1;
    loss.update('none');
    units.update('none');
    $('lab-verdicts').replaceChildren();
    $('lab-progress').textContent = '';
    // (1000: the server's default number of iterations)
    this.job = { id: null, labels, iterations: request.training.iterations ?? 1000, done: false, last: [] };
  }

  // A history entry of policy i, in iteration order; one already drawn is skipped.
  add(i, entry) {
    const job = this.job;
    if ((job.last[i] ?? -1) >= entry.iteration) {
      return;
    }
    job.last[i] = entry.iteration;
    const { loss, units } = this.charts;
    loss.data.datasets[i].data.push({ x: entry.iteration, y: entry.loss });
    if (entry.symmetry) {
      units.data.datasets[2 * i].data.push({ x: entry.iteration, y: entry.symmetry.distinct_units });
      if (entry.symmetry.max_cosine !== null && entry.symmetry.max_cosine !== undefined) {
        units.data.datasets[2 * i + 1].data.push({ x: entry.iteration, y: entry.symmetry.max_cosine });
      }
    }
  }

  redraw() {
    this.charts.loss.update('none');
    this.charts.units.update('none');
  }

  // The job as GET /api/v1/experiments/{id} shows it (also the payload of every `status` event): its
  // histories are the whole truth so far, so they replace what the record events drew (an event sent
  // while the stream was being set up, or lost to a reconnection, is filled in here).
  view(view) {
    const { loss, units } = this.charts;
    view.results.forEach((result, i) => {
      loss.data.datasets[i].data = [];
      units.data.datasets[2 * i].data = [];
      units.data.datasets[2 * i + 1].data = [];
      this.job.last[i] = -1;
      result.history.forEach((entry) => this.add(i, entry));
    });
    this.redraw();
    if (TERMINAL.has(view.status)) {
      this.finish(view);
    } else {
      status('lab', `Experiment ${view.id.slice(0, 8)} · ${view.status}`);
    }
  }

  // Progress goes beside the status, not into it: the status is a live region, read out on each change.
  record(event) {
    this.add(event.policy, event.entry);
    this.redraw();
    $('lab-progress').textContent = `${event.label}: iteration ${event.entry.iteration} of ${this.job.iterations}`;
  }

  finish(view) {
    const job = this.job;
    if (job.done) {
      return;
    }
    job.done = true;
    job.close?.();
    $('lab-progress').textContent = '';
    running(false);
    const error = view.error ? ` (${view.error})` : '';
    status('lab', `Experiment ${view.id.slice(0, 8)} · ${view.duration_ms} ms${error} · ${view.status}`);
    showVerdicts(view);
  }
}

let experiment;

function running(on) {
  const run = $('lab-run');
  const stop = $('lab-stop');
  const focusWasOn = document.activeElement;
  run.disabled = on;
  stop.disabled = !on;
  // Keep a keyboard user's focus on a button that can be pressed.
  if (on && focusWasOn === run) {
    stop.focus();
  } else if (!on && (focusWasOn === stop || focusWasOn === document.body)) {
    run.focus();
  }
}

function status(kind, text) {
  const element = $(`${kind}-status`);
  if (element.textContent !== text) {
    element.textContent = text;
  }
}

function experimentRequest(form) {
  const layers = numberOf('lab-layers');
  const units = numberOf('lab-units');
  const iterations = numberOf('lab-iterations');
  const policies = readPolicies($('lab-policies'));
  if (policies === null) {
    return null;
  }
  const request = {};
  const seed = numberOf('lab-seed');
  if (seed !== undefined) {
    request.seed = seed;
  }
  request.dataset = { name: $('lab-dataset').value };
  request.model = {
    hidden_layers: Array.from({ length: Math.max(0, Math.min(layers ?? 1, 64)) }, () => units ?? 4),
    activation: $('lab-activation').value,
  };
  request.training = { optimizer: $('lab-optimizer').value };
  const lr = numberOf('lab-lr');
  if (lr !== undefined) {
    request.training.learning_rate = lr;
  }
  if (iterations !== undefined) {
    request.training.iterations = iterations;
    // About 100 points per curve.
    if (Number.isInteger(iterations) && iterations > 0) {
      request.training.record_every = Math.max(1, Math.floor(iterations / 100));
    }
  }
  request.policies = policies;
  return request;
}

async function runExperiment(event) {
  event.preventDefault();
  const form = $('lab-form');
  clearErrors(form);
  const request = experimentRequest(form);
  if (request === null) {
    status('lab', 'Fix the marked policy, then press Run.');
    return;
  }
  const body = showRequest(request, pythonExperiment(request));
  experiment.start(request, request.policies.map((p) => p.label));
  running(true);
  status('lab', 'Submitting the experiment…');
  let response;
  try {
    response = await fetch(`${API}/experiments`, {
      method: 'POST',
      headers: headers({ 'Content-Type': 'application/json', Accept: 'application/json' }),
      body,
    });
  } catch (e) {
    running(false);
    status('lab', `Could not reach the server: ${e.message}`);
    return;
  }
  if (!response.ok) {
    const problem = await problemOf(response);
    running(false);
    status('lab', `The server refused the experiment (${problem.status} ${problem.body.title || ''}): see the marked field.`);
    showProblem('lab', form, problem);
    return;
  }
  const view = await response.json();
  experiment.job.id = view.id;
  follow(view.id);
  experiment.view(view);
}

// Follows the job's events: EventSource when no API key is set; with a key, the same stream read
// through fetch, since an EventSource cannot send a header.
function follow(id) {
  const url = `${API}/experiments/${encodeURIComponent(id)}/events`;
  const job = experiment.job;
  // Events of a job that is no longer the page's are dropped.
  const onStatus = (data) => experiment.job === job && experiment.view(JSON.parse(data));
  const onRecord = (data) => experiment.job === job && !job.done && experiment.record(JSON.parse(data));
  if (!apiKey()) {
    const source = new EventSource(url);
    job.close = () => source.close();
    source.addEventListener('status', (e) => onStatus(e.data));
    source.addEventListener('record', (e) => onRecord(e.data));
    source.onerror = () => {
      // The server ends the stream after the final status event; an EventSource would reconnect.
      if (!job.done) {
        source.close();
        poll(id);
      }
    };
    return;
  }
  const abort = new AbortController();
  job.close = () => abort.abort();
  readEventStream(url, abort.signal, { status: onStatus, record: onRecord })
    .catch(() => {})
    .finally(() => {
      if (!job.done) {
        poll(id);
      }
    });
}

async function readEventStream(url, signal, handlers) {
  const response = await fetch(url, { headers: headers({ Accept: 'text/event-stream' }), signal });
  if (!response.ok) {
    throw await problemOf(response);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') {
          name = text;
        } else if (field === 'data') {
          data.push(text);
        }
      }
      if (data.length && handlers[name]) {
        handlers[name](data.join('\n'));
      }
    }
  }
}

// When the event stream broke off before the end: the job's state, every second until it ends.
async function poll(id) {
  const job = experiment.job;
  while (experiment.job === job && !job.done) {
    try {
      const response = await fetch(`${API}/experiments/${encodeURIComponent(id)}`, { headers: headers() });
      if (!response.ok) {
        const problem = await problemOf(response);
        job.done = true;
        running(false);
        status('lab', `Lost the experiment: ${problem.message} · failed`);
        return;
      }
      experiment.view(await response.json());
    } catch (e) {
      status('lab', `Waiting for the server: ${e.message}`);
    }
    if (!job.done) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function stopExperiment() {
  const job = experiment.job;
  if (!job || !job.id || job.done) {
    return;
  }
  $('lab-stop').disabled = true;
  status('lab', `Experiment ${job.id.slice(0, 8)} · stopping…`);
  try {
    const response = await fetch(`${API}/experiments/${encodeURIComponent(job.id)}`, {
      method: 'DELETE', headers: headers({ Accept: 'application/json' }),
    });
    if (!response.ok) {
      const problem = await problemOf(response);
      $('lab-form-error').textContent = problem.message;
      $('lab-stop').disabled = false;
      return;
    }
    const view = await response.json();
    if (TERMINAL.has(view.status)) {
      experiment.view(view);
    }
  } catch (e) {
    $('lab-form-error').textContent = `Could not reach the server: ${e.message}`;
    $('lab-stop').disabled = false;
  }
}

// Per policy: its decision boundary (when the job succeeded) and its verdict beside it.
function showVerdicts(view) {
  const box = $('lab-verdicts');
  box.replaceChildren();
  view.results.forEach((result, i) => {
    const card = document.createElement('figure');
    card.className = 'verdict';
    card.style.borderColor = COLOURS[i % COLOURS.length];
    card.dataset.testid = `lab-result-${result.label}`;
    const final = result.final;
    if (final) {
      card.dataset.accuracy = String(final.train_accuracy);
      card.dataset.distinctUnits = String(final.symmetry ? final.symmetry.distinct_units : '');
    }
    if (view.status === 'succeeded') {
      card.appendChild(boundaryImage(view.id, result.label));
    }
    const caption = document.createElement('figcaption');
    const title = document.createElement('strong');
    title.textContent = result.label;
    title.style.color = COLOURS[i % COLOURS.length];
    const numbers = document.createElement('span');
    numbers.className = 'numbers';
    if (final) {
      const n = final.symmetry ? final.symmetry.distinct_units : null;
      const units = n === null ? '' : `${n} distinct unit${n === 1 ? '' : 's'}`;
      numbers.textContent = `accuracy ${(100 * final.train_accuracy).toFixed(1)}% · ${units}`;
    } else {
      numbers.textContent = `no final state (${view.status})`;
    }
    const verdict = document.createElement('p');
    verdict.className = 'verdict-text';
    verdict.dataset.testid = `lab-verdict-${result.label}`;
    verdict.textContent = result.verdict || '';
    caption.append(title, ' ', numbers, verdict);
    card.appendChild(caption);
    box.appendChild(card);
  });
}

function boundaryImage(id, label) {
  const url = `${API}/experiments/${encodeURIComponent(id)}/plots/boundary.svg?policy=${encodeURIComponent(label)}`;
  const img = document.createElement('img');
  img.dataset.testid = `lab-boundary-${label}`;
  img.alt = `Decision boundary of the network initialized with ${label}, after training, over the input plane with the data points`;
  img.width = 320;
  img.height = 320;
  img.dataset.src = url;
  const explain = async () => {
    // An <img> does not say why it failed: ask again for the problem's detail.
    try {
      const response = await fetch(url, { headers: headers() });
      const text = response.ok ? 'the picture did not load' : (await problemOf(response)).message;
      img.replaceWith(Object.assign(document.createElement('p'), {
        className: 'field-error', textContent: `No decision boundary: ${text}`,
      }));
    } catch (e) {
      img.alt = `No decision boundary: ${e.message}`;
    }
  };
  if (!apiKey()) {
    img.addEventListener('error', explain, { once: true });
    img.src = url;
  } else {
    // An <img> cannot send the key: fetch the SVG and show it from memory.
    fetch(url, { headers: headers({ Accept: 'image/svg+xml' }) }).then(async (response) => {
      if (!response.ok) {
        explain();
        return;
      }
      img.src = URL.createObjectURL(await response.blob());
    }, explain);
  }
  return img;
}

// ---------------------------------------------------------------------------------------------
// Propagation.

function propagationRequest() {
  const policies = readPolicies($('prop-policies'));
  if (policies === null) {
    return null;
  }
  const request = {};
  const seed = numberOf('prop-seed');
  if (seed !== undefined) {
    request.seed = seed;
  }
  const depth = numberOf('prop-depth');
  const width = numberOf('prop-width');
  if (depth !== undefined) {
    request.depth = depth;
  }
  if (width !== undefined) {
    request.width = width;
  }
  request.activation = $('prop-activation').value;
  const block = $('prop-block').value;
  if (block !== 'plain') {
    request.block = { type: 'residual', branch_layers: 2, norm: block };
  }
  request.policies = policies;
  return request;
}

async function runPropagation(event, charts) {
  event.preventDefault();
  const button = $('prop-run');
  if (button.getAttribute('aria-disabled') === 'true') {
    return; // one request at a time
  }
  const form = $('prop-form');
  clearErrors(form);
  const request = propagationRequest();
  if (request === null) {
    status('prop', 'Fix the marked policy, then run again.');
    return;
  }
  const body = showRequest(request, pythonPropagation(request));
  button.setAttribute('aria-disabled', 'true');
  status('prop', 'Propagating…');
  try {
    const response = await fetch(`${API}/propagation`, {
      method: 'POST',
      headers: headers({ 'Content-Type': 'application/json', Accept: 'application/json' }),
      body,
    });
    if (!response.ok) {
      const problem = await problemOf(response);
      status('prop', `The server refused the request (${problem.status} ${problem.body.title || ''}): see the marked field.`);
      showProblem('prop', form, problem);
      return;
    }
    showPropagation(await response.json(), charts.prop);
  } catch (e) {
    status('prop', `Could not reach the server: ${e.message}`);
  } finally {
    button.removeAttribute('aria-disabled');
  }
}

function showPropagation(result, chart) {
  // A log scale has no place for 0 (a zero-initialized stack): such points are left out.
  const positive = (v) => (v > 0 && Number.isFinite(v) ? v : null);
  chart.data.datasets = result.results.flatMap((r, i) => {
    const colour = COLOURS[i % COLOURS.length];
    return [
      dataset(`${r.label}: activation std`, colour, {
        data: r.layers.map((l) => ({ x: l.layer, y: positive(l.activation_std) })),
      }),
      dataset(`${r.label}: gradient std`, colour, {
        data: r.layers.map((l) => ({ x: l.layer, y: positive(l.gradient_std) })), borderDash: [6, 4],
      }),
    ];
  });
  chart.options.scales.x.title.text = result.block ? 'residual block' : 'layer';
  chart.update('none');
  const list = $('prop-verdicts');
  list.replaceChildren(...result.results.map((r, i) => {
    const item = document.createElement('li');
    item.dataset.testid = `prop-verdict-${r.label}`;
    item.style.borderColor = COLOURS[i % COLOURS.length];
    const first = r.layers[0];
    const last = r.layers[r.layers.length - 1];
    const fmt = (v) => (v === null || v === undefined ? 'n/a' : Number(v).toPrecision(3));
    const name = document.createElement('strong');
    name.textContent = r.label;
    name.style.color = COLOURS[i % COLOURS.length];
    item.append(name, `: ${r.verdict} · activation std ${fmt(first.activation_std)} → ${fmt(last.activation_std)}`
      + ` · gradient std ${fmt(first.gradient_std)} → ${fmt(last.gradient_std)}`
      + ` · ×${fmt(r.std_ratio_per_layer)} per layer`);
    return item;
  }));
  status('prop', `Depth ${result.depth}, width ${result.width}, ${result.activation}, seed ${result.seed} · done`);
}

// ---------------------------------------------------------------------------------------------
// Tabs (WAI-ARIA tabs: arrow keys move between them, Tab goes into the panel).

function setupTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  const select = (tab) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute('aria-controls')).hidden = !on;
    }
    tab.focus();
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(tab));
    tab.addEventListener('keydown', (e) => {
      const moves = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 };
      if (e.key in moves) {
        e.preventDefault();
        select(tabs[(moves[e.key] + tabs.length) % tabs.length]);
      }
    });
  });
}

function main() {
  setupApiKey();
  setupTabs();
  setupCopyButtons();
  setupPolicies($('lab-policies'), 'lab', ['zeros', 'small', 'he']);
  setupPolicies($('prop-policies'), 'prop', ['xavier', 'he']);
  if (typeof Chart === 'undefined') {
    status('lab', 'The charting library (webjars/chart.js) did not load: the charts cannot be drawn.');
    return;
  }
  const charts = makeCharts();
  experiment = new Experiment(charts);
  $('lab-form').addEventListener('submit', runExperiment);
  $('lab-stop').addEventListener('click', stopExperiment);
  $('prop-form').addEventListener('submit', (e) => runPropagation(e, charts));
}

main();
