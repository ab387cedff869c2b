import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { Trim } from '../../common/trim.decorator';

export const SEARCH_MODES = ['hybrid', 'vector', 'text'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

export class SearchQueryDto {
  /** @example "how do I reset my VPN password" */
  @Trim() @IsString() @Length(1, 1000)
  q: string;

  /** How many passages (one per document) to return. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(20)
  k: number = 5;

  /** `hybrid` (default) fuses both rankings; `vector` and `text` use one (to compare them). */
  @IsOptional() @IsIn(SEARCH_MODES)
  mode: SearchMode = 'hybrid';
}

export class SearchHitDto {
  chunk_id: string;
  document_id: string;
  /** The document's title. */
  title: string;
  heading: string | null;
  page: number | null;
  text: string;
  /** Reciprocal-rank-fusion score: higher is better. */
  score: number;
}

export class SimilarTicketDto {
  ticket_id: string;
  title: string;
  status: string;
  /** Cosine similarity, -1 to 1. */
  similarity: number;
}

export class SearchResultDto {
  query: string;
  results: SearchHitDto[];
  similar_tickets: SimilarTicketDto[];
}
