// Types of bundle.mjs, for the TypeScript that imports it (the benchmarks).
export declare const PROJECT_ROOT: string;
/** The bundle's file URL, or undefined when dist/ cannot be written. */
export declare function bundle(entry: string, outfile: string): Promise<string | undefined>;
