// ESLint rules for the bot service's two browser scripts: the embeddable chat widget and the agent console.
import js from "@eslint/js";
import globals from "globals";

const SHARED_RULES = {
  "no-var": "error",
  "prefer-const": "error",
  eqeqeq: ["error", "always"],
  "no-implicit-globals": ["error", { lexicalBindings: true }],
  strict: ["error", "safe"],
  // Customers', agents' and the bot's text reaches the page through textContent only.
  "no-restricted-properties": [
    "error",
    ...["innerHTML", "outerHTML", "insertAdjacentHTML", "write", "writeln"].map((property) => ({
      property,
      message: "Put text on the page with textContent or DOM nodes, never as HTML.",
    })),
  ],
};

export default [
  {
    files: ["**/*.js"],
    ...js.configs.recommended,
  },
  {
    // The widget and the demo shop's script run as classic scripts inside shops' pages: strict mode
    // comes from the directive in their enclosing function, and nothing may land in the page's globals.
    files: ["**/webchat/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: { ...globals.browser },
    },
    rules: SHARED_RULES,
  },
  {
    // The console is an ES module (strict by definition) served to agents only.
    files: ["**/console_files/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "module",
      globals: { ...globals.browser },
    },
    rules: SHARED_RULES,
  },
];
