// check.mjs - opens regc's reviewer formats in their real consumers.
//
//   node tests/bpmn/check.mjs OUTDIR FILE...
//
// A FILE ending in .bpmn is imported with bpmn-moddle (no warning allowed),
// linted with bpmnlint (tests/bpmn/.bpmnlintrc) and rendered with the bpmn-js
// viewer in headless Chromium (no import warning or error allowed); its
// screenshot goes to OUTDIR/<region>/<service>.png. A FILE ending in .md has
// every ```mermaid block rendered with @mermaid-js/mermaid-cli in the same
// browser; a block that does not render is a failure.
//
// One Chromium for everything, Debian's (tests/bpmn/puppeteer-config.json).
// Prints "ok WHAT" or "FAIL WHAT: WHY" per check, then "N passed, N failed".
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { BpmnModdle } from 'bpmn-moddle';
import puppeteer from 'puppeteer';
import { renderMermaid } from '@mermaid-js/mermaid-cli';

const require = createRequire(import.meta.url);
const { Linter } = require('bpmnlint');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');

const here = path.dirname(fileURLToPath(import.meta.url));
const [outdir, ...files] = process.argv.slice(2);
if (!outdir || files.length === 0) {
  console.error('usage: node tests/bpmn/check.mjs OUTDIR FILE...');
  process.exit(2);
}

let passed = 0;
let failed = 0;
const ok = (what) => { passed++; console.log(`ok ${what}`); };
const fail = (what, why) => { failed++; console.log(`FAIL ${what}: ${why}`); };

// generated/<region>/<service>.bpmn -> <region>/<service>
const shortName = (file) => path.join(path.basename(path.dirname(file)), path.basename(file).replace(/\.[^.]*$/, ''));

const lintConfig = JSON.parse(fs.readFileSync(path.join(here, '.bpmnlintrc'), 'utf8'));

async function checkModel(file, xml) {
  const moddle = new BpmnModdle();
  let definitions;
  try {
    const result = await moddle.fromXML(xml, 'bpmn:Definitions');
    definitions = result.rootElement;
    if (result.warnings.length) {
      fail(`${file}: bpmn-moddle`, result.warnings.map((w) => w.message).join('; '));
      return;
    }
    ok(`${file}: bpmn-moddle`);
  } catch (err) {
    fail(`${file}: bpmn-moddle`, err.message);
    return;
  }
  // A linter per file: some rules keep what they saw between runs.
  const linter = new Linter({ config: lintConfig, resolver: new NodeResolver() });
  const reports = await linter.lint(definitions);
  const problems = [];
  for (const [rule, list] of Object.entries(reports))
    for (const r of list)
      problems.push(`${rule} ${r.id || ''}: ${r.message}`);
  if (problems.length)
    fail(`${file}: bpmnlint`, problems.slice(0, 10).join('; '));
  else
    ok(`${file}: bpmnlint`);
}

async function renderBpmn(browser, file, xml) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  try {
    await page.setViewport({ width: 1600, height: 1000 });
    const css = ['diagram-js.css', 'bpmn-js.css'].map((f) => fs.readFileSync(path.join(here, 'node_modules/bpmn-js/dist/assets', f), 'utf8'));
    await page.setContent(`<!doctype html><html><head><meta charset="utf-8"><style>${css.join('\n')}
      html, body, #canvas { margin: 0; width: 100%; height: 100%; background: white; }</style></head>
      <body><div id="canvas"></div></body></html>`);
    await page.addScriptTag({ path: path.join(here, 'node_modules/bpmn-js/dist/bpmn-viewer.production.min.js') });
    const result = await page.evaluate(async (xml) => {
      const viewer = new window.BpmnJS({ container: '#canvas' });
      try {
        const { warnings } = await viewer.importXML(xml);
        const canvas = viewer.get('canvas');
        canvas.zoom('fit-viewport');
        const box = canvas.viewbox();
        const registry = viewer.get('elementRegistry');
        return {
          warnings: warnings.map((w) => w.message),
          lanes: registry.filter((e) => e.type === 'bpmn:Lane').length,
          pools: registry.filter((e) => e.type === 'bpmn:Participant').length,
          inner: box.inner,
        };
      } catch (err) {
        return { error: err.message, warnings: (err.warnings || []).map((w) => w.message) };
      }
    }, xml);
    if (result.error || result.warnings.length || errors.length) {
      fail(`${file}: bpmn-js`, [result.error, ...result.warnings, ...errors].filter(Boolean).join('; '));
      return;
    }
    if (result.pools === 0) {
      fail(`${file}: bpmn-js`, 'no pool was drawn');
      return;
    }
    // A screenshot at a readable scale: the whole diagram, up to a limit.
    const width = Math.min(Math.ceil(result.inner.width) + 40, 6000);
    const height = Math.min(Math.ceil(result.inner.height) + 40, 6000);
    await page.setViewport({ width, height });
    await page.evaluate(() => { window.viewer = null; });
    const png = path.join(outdir, `${shortName(file)}.png`);
    fs.mkdirSync(path.dirname(png), { recursive: true });
    await page.evaluate(async (xml) => {
      document.querySelector('#canvas').innerHTML = '';
      const viewer = new window.BpmnJS({ container: '#canvas' });
      await viewer.importXML(xml);
      const canvas = viewer.get('canvas');
      canvas.zoom(1);
      const inner = canvas.viewbox().inner;
      canvas.viewbox({ x: inner.x - 20, y: inner.y - 20, width: inner.width + 40, height: inner.height + 40 });
    }, xml);
    await page.screenshot({ path: png });
    ok(`${file}: bpmn-js (${result.pools} pools, ${result.lanes} lanes; ${png})`);
  } catch (err) {
    fail(`${file}: bpmn-js`, err.message);
  } finally {
    await page.close();
  }
}

// The ```mermaid blocks of a Markdown file, with the line each starts on.
function mermaidBlocks(text) {
  const blocks = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```mermaid')
      continue;
    const start = i + 1;
    let j = start;
    while (j < lines.length && lines[j] !== '```')
      j++;
    blocks.push({ line: start, text: lines.slice(start, j).join('\n') });
    i = j;
  }
  return blocks;
}

async function renderPage(browser, file, text) {
  const blocks = mermaidBlocks(text);
  if (blocks.length === 0) {
    ok(`${file}: no mermaid block`);
    return;
  }
  for (const block of blocks) {
    const what = `${file}:${block.line}: mermaid`;
    try {
      const svg = await renderMermaid(browser, block.text, 'svg', { mermaidConfig: { securityLevel: 'strict' } });
      const s = Buffer.from(svg.data ?? svg).toString('utf8');
      if (/Syntax error|Parse error/i.test(s))
        fail(what, 'mermaid drew an error');
      else
        ok(what);
    } catch (err) {
      fail(what, String(err.message).split('\n').slice(0, 3).join(' '));
    }
  }
}

const config = JSON.parse(fs.readFileSync(path.join(here, 'puppeteer-config.json'), 'utf8'));
fs.mkdirSync(outdir, { recursive: true });
const profile = fs.mkdtempSync(path.join(outdir, '.chromium-'));
let browser;
try {
  browser = await puppeteer.launch({ ...config, userDataDir: profile });
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    if (file.endsWith('.bpmn')) {
      await checkModel(file, text);
      await renderBpmn(browser, file, text);
    } else {
      await renderPage(browser, file, text);
    }
  }
} catch (err) {
  fail('chromium', err.message);
} finally {
  if (browser)
    await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
