// KaTeX's stylesheet and fonts, loaded with the math renderer (math-rendering.ts) rather than with the app.
import 'katex/dist/katex.min.css';
