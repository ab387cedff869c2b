import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'isPublic';

/** Every route needs a bearer token unless it is marked public. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
