// A small WCAG 2.1 AA checker for the dashboard, evaluated inside the page.
// No CDN, no dependency: it checks the accessibility rules the dashboard promises and nothing more.
//  - names:    every visible form control / button / slider has an accessible
//              name (aria-label, aria-labelledby, <label>, text, title)  [1.3.1, 4.1.2]
//  - labels:   every widget with a description shows it as visible text  [3.3.2]
//  - contrast: text against its effective background >= 4.5:1 (3:1 large) [1.4.3]
// Returns {controls, names: [...problems], labels: [...], contrast: [...]}.
(() => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return false;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === "none" || s.visibility === "hidden" || s.opacity === "0") return false;
    }
    return true;
  };
  const describe = (el) => {
    const w = el.closest("[class*='makker-']");
    const css = w ? [...w.classList].filter((c) => c.startsWith("makker-")).join(".") : "";
    return `${el.tagName.toLowerCase()}${el.type ? "[" + el.type + "]" : ""} in .${css || "?"}`;
  };
  const textOf = (id) => {
    const e = document.getElementById(id);
    return e ? e.textContent.trim() : "";
  };
  const accessibleName = (el) => {
    const aria = (el.getAttribute("aria-label") || "").trim();
    if (aria) return aria;
    const by = (el.getAttribute("aria-labelledby") || "").trim();
    if (by) {
      const t = by.split(/\s+/).map(textOf).join(" ").trim();
      if (t) return t;
    }
    if (el.labels && el.labels.length) {
      const t = [...el.labels].map((l) => l.textContent.trim()).join(" ").trim();
      if (t) return t;
    }
    if (el.tagName === "BUTTON" || el.getAttribute("role") === "tab" || el.tagName === "A") {
      const t = el.textContent.trim();
      if (t) return t;
    }
    const title = (el.getAttribute("title") || "").trim();
    if (title && title !== "null") return title;
    return "";
  };

  const controls = [...document.querySelectorAll(
    "input:not([type=hidden]), select, textarea, button, a[href], [role=slider], [role=tab], [contenteditable=true]"
  )].filter(visible);
  const names = controls
    .filter((el) => !accessibleName(el))
    .map(describe);

  // Visible label: a widget whose description is set must show it as text.
  const labels = [...document.querySelectorAll(".widget-inline-hbox, .widget-hbox")]
    .filter(visible)
    .filter((w) => w.querySelector(":scope > select, :scope > .widget-slider, :scope > input, :scope > .widget-readout"))
    .filter((w) => {
      const l = w.querySelector(":scope > .widget-label");
      return !(l && visible(l) && l.textContent.trim());
    })
    .map((w) => "." + [...w.classList].filter((c) => c.startsWith("makker-")).join(".") || w.className);

  // Contrast of every visible text run.
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const lum = ({ r, g, b }) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const blend = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.backgroundImage && s.backgroundImage !== "none" && !s.backgroundImage.startsWith("linear-gradient")) return null;
      const c = parse(s.backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a >= 1) break;
      }
    }
    let bg = { r: 255, g: 255, b: 255, a: 1 };
    for (const c of layers.reverse()) bg = blend(c, bg);
    return bg;
  };
  const contrast = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || seen.has(el) || !n.textContent.trim()) continue;
    seen.add(el);
    if (!visible(el) || el.closest("script, style, noscript")) continue;
    if (el.closest("[disabled], .mod-disabled, [aria-disabled=true]")) continue; // inactive UI is exempt
    const s = getComputedStyle(el);
    const fg = parse(s.color);
    const bg = background(el);
    if (!fg || !bg) continue;
    const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
    const size = parseFloat(s.fontSize);
    const bold = Number(s.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    const r = ratio(blend(fg, bg), bg);
    if (r < (large ? 3 : 4.5)) {
      contrast.push(`${describe(el)} "${n.textContent.trim().slice(0, 40)}" ${r.toFixed(2)}:1`);
    }
  }
  return { controls: controls.length, names, labels, contrast };
})()
