// Build the MEİS assets into meis/static/meis/ (committed, so running the site needs no npm).
//   css/meis.css             govuk-frontend + scss/ compiled, with the Noto Sans @font-face rules
//   js/govuk-frontend.min.js govuk-frontend's ES module bundle, unchanged
//   js/chart.umd.min.js      Chart.js's browser bundle, unchanged (the statistics pages' charts)
//   fonts/*.woff2            Noto Sans regular and bold, the subsets Azerbaijani and Russian need
// The build also fails when a palette text/background pair is below WCAG 2.2 AA contrast.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "meis", "static", "meis");
const modules = join(here, "node_modules");

// Latin covers ö ü ç; latin-ext covers ə ğ ı İ ş; cyrillic covers Russian.
const FONT_SUBSETS = ["latin", "latin-ext", "cyrillic", "cyrillic-ext"];
const FONT_WEIGHTS = [400, 700];

// [foreground, background, minimum ratio, what it is]
const CONTRAST_PAIRS = [
  ["meis-white", "meis-navy", 4.5, "header text"],
  ["meis-yellow", "meis-navy", 3, "focus highlight in the header"],
  ["meis-ink", "meis-white", 4.5, "body text"],
  ["meis-ink", "meis-mist", 4.5, "body text on surfaces"],
  ["meis-ink", "meis-yellow", 4.5, "focused link text"],
  ["meis-ink-secondary", "meis-white", 4.5, "secondary text"],
  ["meis-ink-secondary", "meis-mist", 4.5, "secondary text on surfaces"],
  ["meis-blue", "meis-white", 4.5, "links"],
  ["meis-blue", "meis-mist", 4.5, "links on surfaces"],
  ["meis-blue-dark", "meis-white", 4.5, "hovered links"],
  ["meis-blue-dark", "meis-mist", 4.5, "hovered links on surfaces"],
  ["meis-purple", "meis-white", 4.5, "visited links"],
  ["meis-purple", "meis-mist", 4.5, "visited links on surfaces"],
  ["meis-white", "meis-blue", 4.5, "inverse text on brand"],
  ["meis-white", "meis-green", 4.5, "button text"],
  ["meis-red", "meis-white", 4.5, "error messages"],
  ["meis-blue", "meis-mist", 3, "active navigation border"],
  ["meis-input-border", "meis-white", 3, "form field borders"],
];

function readPalette() {
  const source = readFileSync(join(here, "scss", "_palette.scss"), "utf8");
  const palette = {};
  for (const [, name, hex] of source.matchAll(/^\$([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/gm)) {
    palette[name] = hex;
  }
  return palette;
}

function luminance(hex) {
  const channel = (i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

function checkContrast() {
  const palette = readPalette();
  const failures = [];
  for (const [fg, bg, minimum, what] of CONTRAST_PAIRS) {
    if (!palette[fg] || !palette[bg]) throw new Error(`Unknown palette colour ${fg} or ${bg}`);
    const ratio = contrast(palette[fg], palette[bg]);
    const line = `${ratio.toFixed(2).padStart(6)}:1  ${what} (${fg} on ${bg}, needs ${minimum}:1)`;
    console.log(line);
    if (ratio < minimum) failures.push(line);
  }
  if (failures.length) {
    throw new Error(`Palette fails WCAG 2.2 AA contrast:\n${failures.join("\n")}`);
  }
}

function fontFaces() {
  const fontsDir = join(out, "fonts");
  rmSync(fontsDir, { recursive: true, force: true });
  mkdirSync(fontsDir, { recursive: true });
  const rules = [];
  for (const weight of FONT_WEIGHTS) {
    const css = readFileSync(join(modules, "@fontsource", "noto-sans", `${weight}.css`), "utf8");
    for (const subset of FONT_SUBSETS) {
      const name = `noto-sans-${subset}-${weight}-normal`;
      const block = css.match(new RegExp(`/\\* ${name} \\*/\\s*@font-face\\s*{([^}]*)}`));
      if (!block) throw new Error(`No @font-face for ${name} in @fontsource/noto-sans`);
      const range = block[1].match(/unicode-range:\s*([^;]+);/)[1];
      copyFileSync(join(modules, "@fontsource", "noto-sans", "files", `${name}.woff2`), join(fontsDir, `${name}.woff2`));
      rules.push(
        `@font-face{font-family:"Noto Sans";font-style:normal;font-display:swap;font-weight:${weight};` +
          `src:url("../fonts/${name}.woff2") format("woff2");unicode-range:${range}}`,
      );
    }
  }
  return rules.join("\n");
}

function compileCss() {
  const result = sass.compile(join(here, "scss", "meis.scss"), {
    loadPaths: [modules],
    style: "compressed",
    quietDeps: true,
    sourceMap: false,
    // No BOM: the compiled CSS is not the start of meis.css (the banner and fonts come first).
    charset: false,
  });
  if (/GDS Transport|govuk-crown|GOV\.UK/.test(result.css)) {
    throw new Error("The compiled CSS mentions the GOV.UK brand or font; they are not ours to use.");
  }
  return result.css;
}

function copyJs() {
  mkdirSync(join(out, "js"), { recursive: true });
  copyFileSync(
    join(modules, "govuk-frontend", "dist", "govuk", "govuk-frontend.min.js"),
    join(out, "js", "govuk-frontend.min.js"),
  );
  copyFileSync(join(modules, "chart.js", "dist", "chart.umd.min.js"), join(out, "js", "chart.umd.min.js"));
}

checkContrast();
mkdirSync(join(out, "css"), { recursive: true });
const banner = "/*! MEİS styles. Built from frontend/ by `npm run build`: govuk-frontend (MIT), Noto Sans (OFL-1.1). */";
writeFileSync(join(out, "css", "meis.css"), `@charset "UTF-8";\n${banner}\n${fontFaces()}\n${compileCss()}\n`);
copyJs();
console.log(`Built ${out}`);
