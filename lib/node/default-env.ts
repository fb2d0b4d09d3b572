/** The environment a command or server gets unless told otherwise: no secret of this process leaks into it. */
export function defaultEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'LANG']) if (process.env[key] !== undefined) env[key] = process.env[key];
  return env;
}
