import type { ClusterConfig } from '../model/cluster-config';
import { saveForm } from '../util/iptables-save-form';

/**
 * The data path the cluster's CNI builds. Modes a plugin does not have fall back to its default
 * (kindnet only installs static routes; flannel is modelled with its default `vxlan` backend).
 */
export type CniFlavour =
  'kindnet' | 'flannel-vxlan' | 'calico-bgp' | 'calico-ipip' | 'cilium-tunnel' | 'cilium-native';

export function cniFlavour(config: ClusterConfig): CniFlavour {
  const { plugin, mode } = config.cni;
  switch (plugin) {
    case 'kindnet':
      return 'kindnet';
    case 'flannel':
      return 'flannel-vxlan';
    case 'calico':
      return mode === 'ipip' ? 'calico-ipip' : 'calico-bgp';
    case 'cilium':
      return mode === 'native' ? 'cilium-native' : 'cilium-tunnel';
  }
}

/** The Linux kernel's VXLAN port (not IANA's 4789): flannel's and Cilium's default. */
export const VXLAN_PORT = 8472;
/** flannel's default VNI (`VNI` in net-conf.json, default 1); Cilium puts the source identity in the VNI instead. */
export const FLANNEL_VNI = 1;

/** The iptables chain or mechanism each plugin masquerades pod traffic leaving the cluster with. */
export function masqueradeRule(
  flavour: CniFlavour,
  podCIDR: string,
): { name: string; rule: string } {
  switch (flavour) {
    case 'kindnet':
    case 'flannel-vxlan': {
      // The chain's last rule, as `get cni-rules` (iptables-save) prints it.
      const chain = masqueradeChain(flavour, podCIDR);
      const rule = saveForm(chain[chain.length - 1]);
      return { name: rule.split(' ')[1], rule };
    }
    case 'calico-bgp':
    case 'calico-ipip':
      return {
        name: 'cali-nat-outgoing',
        rule: '-A cali-nat-outgoing -m set --match-set cali40masq-ipam-pools src -m set ! --match-set cali40all-ipam-pools dst -j MASQUERADE --random-fully',
      };
    case 'cilium-tunnel':
    case 'cilium-native':
      return {
        name: 'bpf-masquerade',
        rule: `BPF SNAT on the native device (enable-bpf-masquerade, ipv4-native-routing-cidr ${podCIDR})`,
      };
  }
}

/**
 * kindnet's embedded ip-masq-agent (KIND-MASQ-AGENT) and flanneld's FLANNEL-POSTRTG: pod traffic
 * to the pod network is left alone, everything else leaving a pod is masqueraded.
 */
export function masqueradeChain(flavour: CniFlavour, podCIDR: string): string[] {
  switch (flavour) {
    case 'kindnet':
      return [
        `-A KIND-MASQ-AGENT -d ${podCIDR} -m comment --comment "kind-masq-agent: local traffic is not subject to MASQUERADE" -j RETURN`,
        '-A KIND-MASQ-AGENT -m comment --comment "kind-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)" -j MASQUERADE',
      ];
    case 'flannel-vxlan':
      return [
        '-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN',
        `-A FLANNEL-POSTRTG -s ${podCIDR} -d ${podCIDR} -m comment --comment "flanneld masq" -j RETURN`,
        `-A FLANNEL-POSTRTG -s ${podCIDR} ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully`,
      ];
    default:
      // Calico's rules live in ipsets and Felix's own chains; Cilium masquerades in BPF.
      return [];
  }
}
