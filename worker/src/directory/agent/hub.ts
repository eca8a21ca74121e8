/** The single DirectoryHub: every agent connects to it, so every flow finds them there. */
export const directoryHub = (env: Env) => env.DIRECTORY_HUB.get(env.DIRECTORY_HUB.idFromName("directory"));
