// screenshots.mjs - the pictures of docs/diagrams.md, taken from the real
// output of one regulation with Debian's Chromium.
//
//   node tests/bpmn/screenshots.mjs DIR/SERVICE OUTDIR
//   e.g. node tests/bpmn/screenshots.mjs generated/east_kazakhstan/small_vessel_certificate docs
//
// Writes OUTDIR/diagrams-dot.png (the DOT file of the first variant, drawn
// by `dot -Tsvg`), diagrams-mermaid.png (its .mmd file, drawn by
// mermaid-cli), diagrams-bpmn.png (the .bpmn file in the bpmn-js viewer)
// and diagrams-page.png (the top of the .md page, as a Markdown renderer
// with mermaid shows it). Run from the repository root after `make` and
// `sh scripts/deps.sh test`.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import puppeteer from 'puppeteer';
import { renderMermaid } from '@mermaid-js/mermaid-cli';
import { marked } from 'marked';

const here = path.dirname(fileURLToPath(import.meta.url));
const [base, outdir] = process.argv.slice(2);
if (!base || !outdir) {
  console.error('usage: node tests/bpmn/screenshots.mjs DIR/SERVICE OUTDIR');
  process.exit(2);
}

// The first variant: the first ```mermaid block of the page names it.
const page = fs.readFileSync(`${base}.md`, 'utf8');
const first = /^%% ([^:]+): generated/m.exec(page)[1];
const dir = path.dirname(base);
const dotFile = path.join(dir, `${first}.dot`);
const mmdFile = path.join(dir, `${first}.mmd`);

const config = JSON.parse(fs.readFileSync(path.join(here, 'puppeteer-config.json'), 'utf8'));
const profile = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'regc-shots-'));
const browser = await puppeteer.launch({ ...config, userDataDir: profile });

// Shoots the element sel of an HTML document at its own size.
async function shoot(html, sel, file, width = 1400) {
  const p = await browser.newPage();
  await p.setViewport({ width, height: 800, deviceScaleFactor: 1 });
  await p.setContent(html, { waitUntil: 'load' });
  const el = await p.$(sel);
  await el.screenshot({ path: file });
  await p.close();
  console.log(`wrote ${file}`);
}

try {
  fs.mkdirSync(outdir, { recursive: true });

  const svg = execFileSync('dot', ['-Tsvg', dotFile], { encoding: 'utf8' });
  await shoot(`<!doctype html><meta charset="utf-8"><body style="margin:0;background:white">
    <div id="d" style="display:inline-block;padding:10px">${svg.replace(/^[\s\S]*?<svg/, '<svg')}</div>`,
    '#d', path.join(outdir, 'diagrams-dot.png'), 3200);

  const mmd = await renderMermaid(browser, fs.readFileSync(mmdFile, 'utf8'), 'png',
    { backgroundColor: 'white', mermaidConfig: { securityLevel: 'strict' } });
  fs.writeFileSync(path.join(outdir, 'diagrams-mermaid.png'), mmd.data);
  console.log(`wrote ${path.join(outdir, 'diagrams-mermaid.png')}`);

  // BPMN: the viewer at scale 1, the first pool (the first variant).
  const css = ['diagram-js.css', 'bpmn-js.css']
    .map((f) => fs.readFileSync(path.join(here, 'node_modules/bpmn-js/dist/assets', f), 'utf8')).join('\n');
  const p = await browser.newPage();
  await p.setViewport({ width: 2600, height: 1000 });
  await p.setContent(`<!doctype html><meta charset="utf-8"><style>${css}
    html, body, #canvas { margin: 0; width: 100%; height: 100%; background: white; }</style>
    <div id="canvas"></div>`);
  await p.addScriptTag({ path: path.join(here, 'node_modules/bpmn-js/dist/bpmn-viewer.production.min.js') });
  const box = await p.evaluate(async (xml) => {
    const viewer = new window.BpmnJS({ container: '#canvas' });
    const { warnings } = await viewer.importXML(xml);
    if (warnings.length)
      throw new Error(warnings.map((w) => w.message).join('; '));
    const pool = viewer.get('elementRegistry').filter((e) => e.type === 'bpmn:Participant')[0];
    const canvas = viewer.get('canvas');
    canvas.viewbox({ x: pool.x - 10, y: pool.y - 10, width: 2600, height: 1000 });
    return { width: pool.width + 20, height: pool.height + 20 };
  }, fs.readFileSync(`${base}.bpmn`, 'utf8'));
  await p.screenshot({ path: path.join(outdir, 'diagrams-bpmn.png'),
    clip: { x: 0, y: 0, width: Math.min(box.width, 2600), height: Math.min(box.height, 1000) } });
  await p.close();
  console.log(`wrote ${path.join(outdir, 'diagrams-bpmn.png')}`);

  // The page down to the first diagram, in a GitHub-like style, its mermaid
  // block drawn by mermaid in the page.
  const top = page.slice(0, page.indexOf('```', page.indexOf('```mermaid') + 10) + 3);
  const body = marked.parse(top, { gfm: true })
    .replace(/<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g, '<pre class="mermaid">$1</pre>');
  const mermaidJs = path.join(here, 'node_modules/mermaid/dist/mermaid.min.js');
  const doc = await browser.newPage();
  await doc.setViewport({ width: 1100, height: 800 });
  await doc.setContent(`<!doctype html><meta charset="utf-8"><style>
    body { font: 14px -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 0; background: white; }
    #page { width: 1000px; padding: 24px; color: #1f2328; }
    table { border-collapse: collapse; } td, th { border: 1px solid #d1d9e0; padding: 4px 8px; vertical-align: top; }
    code { background: #eff1f3; padding: 1px 4px; border-radius: 4px; }
    h1, h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: 4px; }</style>
    <div id="page">${body}</div>`);
  await doc.addScriptTag({ path: mermaidJs });
  await doc.evaluate(async () => {
    window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    await window.mermaid.run({ querySelector: 'pre.mermaid' });
  });
  await (await doc.$('#page')).screenshot({ path: path.join(outdir, 'diagrams-page.png') });
  await doc.close();
  console.log(`wrote ${path.join(outdir, 'diagrams-page.png')}`);
} finally {
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
