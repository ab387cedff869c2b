// Types of build-if-stale.js for its unit test.
export function staleBuildReason(root: string): string | null;
export function writeStamp(root: string): void;
export const BUILD_OUTPUTS: string[];
export const STAMP: string;
