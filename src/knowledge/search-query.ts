// Turns free text (an employee's question) into a PostgreSQL tsquery that matches ANY of its words:
// websearch_to_tsquery would demand all of them, and long questions rarely match a passage word for word.
// The 'english' configuration then drops stop words and stems what is left.

const MAX_TERMS = 40;

export function toSearchQuery(text: string): string {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const unique = [...new Set(words.filter((word) => word.length > 1))].slice(0, MAX_TERMS);
  return unique.join(' | ');
}
