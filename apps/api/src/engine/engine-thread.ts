// The engine pool's thread entry, compiled with the API so its dist build finds it next to
// api-engine.ts (threadFileIn(__dirname)).
export { default } from '@netplay/jobs/engine-thread';
