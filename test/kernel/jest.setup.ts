// The root configuration's 30 s is too short for a scenario of the kernel lane.
jest.setTimeout(120_000);
