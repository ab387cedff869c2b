import { SetMetadata } from '@nestjs/common';

export const QUERY_TOKEN_KEY = 'allowQueryToken';

/**
 * The route also accepts the access token as `?access_token=` — for browsers' EventSource, which cannot
 * send headers. Only for such routes: elsewhere a token in a URL would end up in histories and logs.
 */
export const AllowQueryToken = () => SetMetadata(QUERY_TOKEN_KEY, true);
