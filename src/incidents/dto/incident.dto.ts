import { ApiProperty } from '@nestjs/swagger';
import { IncidentStatus } from '../incidents.repository';

export const INCIDENT_STATUSES: IncidentStatus[] = ['proposed', 'open', 'resolved', 'dismissed'];

/** Why the tickets were grouped. */
export class IncidentReasonsDto {
  /** Found by detection (false: created by hand). */
  detected: boolean;
  /** The word stems most of the tickets share. @example ["vpn", "connect", "down"] */
  shared_terms?: string[];
  /** How alike the tickets that made the proposal were to the one that completed it (0–1), and the cut-off. */
  similarity?: { min: number; mean: number; cutoff: number } | null;
  /** Different people among them when it was proposed. */
  requesters?: number;
  /** The rule that fired. @example "5 or more people reported alike problems within 30 minutes" */
  rule?: string;
}

export class IncidentDto {
  incident_id: string;
  /** `proposed` (detected, waiting for support), `open` (confirmed: new reports join it), `resolved`, `dismissed`. */
  @ApiProperty({ enum: INCIDENT_STATUSES })
  status: IncidentStatus;
  /** @example "VPN not connecting since 9am" */
  title: string;
  /** Its tickets, oldest first. */
  ticket_ids: string[];
  /** Different people among its tickets' requesters. */
  requester_count: number;
  /** When it was proposed (or created by hand). */
  detected_at: Date;
  reasons: IncidentReasonsDto;
  /** Who created it by hand; null when detected. */
  created_by: string | null;
  opened_at: Date | null;
  opened_by: string | null;
  /** When it was resolved or dismissed. */
  closed_at: Date | null;
  closed_by: string | null;
  resolution: string | null;
  /** Resolved, with its resolution still reaching its tickets (in batches). */
  resolving: boolean;
  updated_at: Date;
}

/** A ticket of the incident, as support sees it there. */
export class IncidentTicketDto {
  ticket_id: string;
  title: string;
  status: string;
  created_at: Date;
  requester: { user_id: string; name: string | null; department: string | null };
}

export class IncidentUpdateDto {
  update_id: string;
  body: string;
  author_id: string | null;
  author_name: string | null;
  created_at: Date;
}

export class IncidentDetailDto extends IncidentDto {
  tickets: IncidentTicketDto[];
  /** The updates support posted, oldest first. */
  updates: IncidentUpdateDto[];
}

export class IncidentListDto {
  /** Newest first. */
  incidents: IncidentDto[];
  count: number;
}
