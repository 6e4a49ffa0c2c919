import { ipvsLane } from './lane/kernel-lane';

ipvsLane();
