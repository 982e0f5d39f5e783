// A small W3C WebDriver client over fetch, enough to drive the app through tauri-driver:
// sessions, finding elements by CSS or XPath, clicks, typing, reading text and screenshots.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class Driver {
  constructor(url) {
    this.url = url;
    this.session = null;
  }

  async call(method, path, body) {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(`${method} ${path}: ${json.value?.message ?? response.status}`);
      error.code = json.value?.error;
      throw error;
    }
    return json.value;
  }

  async start(application) {
    const value = await this.call('POST', '/session', {
      capabilities: { alwaysMatch: { 'tauri:options': { application } } },
    });
    this.session = value.sessionId;
    return value;
  }

  s(path) {
    return `/session/${this.session}${path}`;
  }

  async stop() {
    if (this.session) await this.call('DELETE', this.s('')).catch(() => {});
    this.session = null;
  }

  async find(selector, { using = 'css selector', timeout = 10_000 } = {}) {
    const until = Date.now() + timeout;
    for (;;) {
      try {
        const found = await this.call('POST', this.s('/element'), { using, value: selector });
        return found[ELEMENT];
      } catch (e) {
        if (Date.now() > until) throw new Error(`not found within ${timeout} ms: ${selector}`);
        await sleep(50);
      }
    }
  }

  async findAll(selector, using = 'css selector') {
    const found = await this.call('POST', this.s('/elements'), { using, value: selector });
    return found.map((f) => f[ELEMENT]);
  }

  /** The first button, link or tab whose accessible text contains `text`. */
  async control(text, timeout = 10_000) {
    const xpath = `//*[self::button or self::a or @role='tab' or @role='button'][contains(normalize-space(.), ${quote(text)}) or contains(@aria-label, ${quote(text)})]`;
    return this.find(xpath, { using: 'xpath', timeout });
  }

  async click(element) {
    await this.call('POST', this.s(`/element/${element}/click`), {});
  }

  async type(element, text) {
    await this.call('POST', this.s(`/element/${element}/value`), { text });
  }

  async clear(element) {
    await this.call('POST', this.s(`/element/${element}/clear`), {});
  }

  async text(element) {
    return this.call('GET', this.s(`/element/${element}/text`));
  }

  async attribute(element, name) {
    return this.call('GET', this.s(`/element/${element}/attribute/${name}`));
  }

  async script(source, args = []) {
    return this.call('POST', this.s('/execute/sync'), { script: source, args });
  }

  /** Runs `source` in the page; it finishes by calling `arguments[arguments.length - 1]`. */
  async asyncScript(source, args = []) {
    return this.call('POST', this.s('/execute/async'), { script: source, args });
  }

  /** Waits until `predicate()` is truthy, polling. */
  async until(what, predicate, timeout = 10_000) {
    const end = Date.now() + timeout;
    for (;;) {
      const value = await predicate().catch(() => false);
      if (value) return value;
      if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
      await sleep(100);
    }
  }

  async bodyText() {
    return this.script('return document.body.innerText');
  }

  async screenshot(path) {
    const png = await this.call('GET', this.s('/screenshot'));
    await writeFile(path, Buffer.from(png, 'base64'));
  }
}

function quote(text) {
  return text.includes("'") ? `"${text}"` : `'${text}'`;
}

/** Starts tauri-driver on `port` and waits until it answers; the app it starts inherits `env`
 * (tauri-driver passes the app no environment of its own). */
export async function startTauriDriver(port, env = {}) {
  const child = spawn('tauri-driver', ['--port', String(port), '--native-port', String(port + 1)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...env },
  });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 15_000;
  for (;;) {
    try {
      await fetch(`${url}/status`);
      return { child, url };
    } catch {
      if (child.exitCode !== null) throw new Error(`tauri-driver exited with ${child.exitCode}`);
      if (Date.now() > until) throw new Error('tauri-driver did not start');
      await sleep(100);
    }
  }
}
