/**
 * Argument text (`command`, `pg-dump-args`) → argv without a shell: words split on whitespace, 'single quotes' literal,
 * "double quotes" with \" \\ \$ \` escapes, backslash escapes outside quotes. No expansion,
 * no pipes, no globbing: `$HOME` and `|` are plain text. Throws on an unterminated quote.
 *
 * Not @actions/exec's argStringToArray: that one knows only double quotes, splits on spaces but
 * not tabs or newlines, and silently accepts an unterminated quote — a user's `'a b'` would
 * become two arguments.
 */
export function parseArgv(text: string): string[] {
  const out: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) throw new Error('has an unterminated single quote');
      word += text.slice(i + 1, close);
      i = close;
      inWord = true;
    } else if (c === '"') {
      inWord = true;
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length && '"\\$`\n'.includes(text[j + 1]!)) {
          j++;
          if (text[j] !== '\n') word += text[j];
        } else word += text[j];
      }
      if (j >= text.length) throw new Error('has an unterminated double quote');
      i = j;
    } else if (c === '\\') {
      if (i + 1 < text.length) {
        if (text[i + 1] !== '\n') word += text[i + 1];
        i++;
        inWord = true;
      }
    } else if (/\s/.test(c)) {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) out.push(word);
  return out;
}
