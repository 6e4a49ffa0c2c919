import { kernelLane } from './lane/kernel-lane';

kernelLane('iptables');
