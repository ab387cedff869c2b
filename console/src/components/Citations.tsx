import type { Schemas } from '../api/client';
import { plainLine } from '../markdown';
import { href } from '../router';

/** The knowledge-base passages an answer rests on, each opening its document at the cited passage. */
export function Citations({ citations }: { citations: Schemas['CitationDto'][] }) {
  if (citations.length === 0) return null;
  return (
    <div class="citations">
      <h3>Sources</h3>
      <ol>
        {citations.map((citation) => (
          <li key={citation.chunk_id}>
            <a href={href(`/kb/${citation.document_id}?chunk=${citation.chunk_id}`)}>{plainLine(citation.title)}</a>
          </li>
        ))}
      </ol>
    </div>
  );
}
