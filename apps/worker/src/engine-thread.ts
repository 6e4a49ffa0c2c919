// The engine pool's thread entry, compiled with the worker so its dist build finds it next to
// worker-engine.js (threadFileIn(__dirname)).
export { default } from '@netplay/jobs/engine-thread';
