// The text renderers live in the engine so the API renders traces exactly as the CLI prints them.
export { endpointText, packetText } from '../engine';
