// The root configuration's test timeout does not fit a suite that starts servers and waits for
// crashed workers' jobs to come back; every wait inside has its own, shorter deadline that names
// what it waited for.
jest.setTimeout(180_000);
