import { runBuild } from "./build-state";

// `npm run build`: the production build (`next build`, then the server compiled; scripts/build-state.ts).
process.exit(runBuild() ? 0 : 1);
