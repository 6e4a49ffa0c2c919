/*
 * The IPVS generic-netlink family, answered in user space, for a kernel built without
 * CONFIG_IP_VS (docs/kernel-lane.md). Preloaded into Debian's own ipvsadm (LD_PRELOAD), it takes
 * the place of the six libnl calls through which libipvs reaches the kernel: every request the
 * real ipvsadm builds from its real command-line parser is decoded here, kept in a state file
 * (IPVS_GENL_STATE), and the dumps `ipvsadm -S` asks for are answered from that file, so the
 * real ipvsadm prints the save form with its own printer and sort order.
 *
 * What it checks is ipvsadm's grammar and meaning (which service, which real server, scheduler,
 * flags, persistence, forwarding method, weight), and the kernel's bookkeeping rules that a
 * restore can break: a service added twice (EEXIST), a real server added to a missing service
 * (ESRCH) or twice (EEXIST), an unknown scheduler (ENOENT). It does not check IPVS forwarding:
 * no packet goes anywhere near it.
 *
 * Built by the kernel lane with `cc -shared -fPIC` (no libnl headers needed: libnl's types stay
 * opaque and its functions are declared here as libnl 3 exports them).
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct nl_sock;
struct nl_msg;
typedef int (*valid_cb_t)(struct nl_msg *, void *);
typedef int (*err_cb_t)(struct sockaddr_nl *, struct nlmsgerr *, void *);

/* libnl 3, resolved at run time from the libraries ipvsadm already links. */
extern struct nlmsghdr *nlmsg_hdr(struct nl_msg *);
extern struct nl_msg *nlmsg_alloc(void);
extern void nlmsg_free(struct nl_msg *);
extern void *genlmsg_put(struct nl_msg *, uint32_t, uint32_t, int, int, int, uint8_t, uint8_t);
extern int nla_put(struct nl_msg *, int, int, const void *);
extern struct nlattr *nla_nest_start(struct nl_msg *, int);
extern int nla_nest_end(struct nl_msg *, struct nlattr *);

#define FAMILY_ID 0x7f00
#define MAX_ENTRIES 8192

struct service {
	uint16_t af, protocol, port;
	uint32_t fwmark, flags, timeout, netmask;
	unsigned char addr[16];
	char sched[IP_VS_SCHEDNAME_MAXLEN];
	char pe[IP_VS_PENAME_MAXLEN + 1];
};

struct dest {
	struct service svc; /* identifies the service: af, protocol, addr, port, fwmark */
	uint16_t af, port;
	uint32_t fwd, weight, u_thresh, l_thresh;
	unsigned char addr[16];
};

static struct service services[MAX_ENTRIES];
static struct dest dests[MAX_ENTRIES];
static int n_services, n_dests, loaded;

static valid_cb_t valid_cb;
static void *valid_arg;
static err_cb_t err_cb;
static void *err_arg;

/* What the last request asked for: an error to report, or the replies to deliver. */
static int pending_error;
static int pending_cmd;
static struct service pending_svc;

static const char *state_path(void) {
	const char *path = getenv("IPVS_GENL_STATE");
	return path ? path : "/dev/null";
}

static void hex(FILE *f, const unsigned char *bytes, int n) {
	for (int i = 0; i < n; i++) fprintf(f, "%02x", bytes[i]);
}

static void unhex(const char *text, unsigned char *bytes, int n) {
	for (int i = 0; i < n; i++) {
		unsigned int b = 0;
		sscanf(text + 2 * i, "%2x", &b);
		bytes[i] = (unsigned char)b;
	}
}

static void load_state(void) {
	if (loaded) return;
	loaded = 1;
	FILE *f = fopen(state_path(), "r");
	if (!f) return;
	char kind[2], addr[33], daddr[33], sched[IP_VS_SCHEDNAME_MAXLEN], pe[IP_VS_PENAME_MAXLEN + 1];
	struct service s;
	struct dest d;
	while (fscanf(f, "%1s", kind) == 1) {
		memset(&s, 0, sizeof s);
		if (fscanf(f, " %hu %hu %32s %hu %u %15s %u %u %u %16s", &s.af, &s.protocol, addr, &s.port,
			   &s.fwmark, sched, &s.flags, &s.timeout, &s.netmask, pe) != 10)
			break;
		unhex(addr, s.addr, 16);
		if (strcmp(sched, "-")) memcpy(s.sched, sched, sizeof s.sched);
		if (strcmp(pe, "-")) memcpy(s.pe, pe, sizeof s.pe);
		if (kind[0] == 'S' && n_services < MAX_ENTRIES) {
			services[n_services++] = s;
		} else if (kind[0] == 'D') {
			memset(&d, 0, sizeof d);
			d.svc = s;
			if (fscanf(f, " %hu %32s %hu %u %u %u %u", &d.af, daddr, &d.port, &d.fwd, &d.weight,
				   &d.u_thresh, &d.l_thresh) != 7)
				break;
			unhex(daddr, d.addr, 16);
			if (n_dests < MAX_ENTRIES) dests[n_dests++] = d;
		}
	}
	fclose(f);
}

static void write_service(FILE *f, const struct service *s) {
	fprintf(f, " %u %u ", s->af, s->protocol);
	hex(f, s->addr, 16);
	fprintf(f, " %u %u %s %u %u %u %s", s->port, s->fwmark, s->sched[0] ? s->sched : "-", s->flags,
		s->timeout, s->netmask, s->pe[0] ? s->pe : "-");
}

static void save_state(void) {
	FILE *f = fopen(state_path(), "w");
	if (!f) return;
	for (int i = 0; i < n_services; i++) {
		fputc('S', f);
		write_service(f, &services[i]);
		fputc('\n', f);
	}
	for (int i = 0; i < n_dests; i++) {
		fputc('D', f);
		write_service(f, &dests[i].svc);
		fprintf(f, " %u ", dests[i].af);
		hex(f, dests[i].addr, 16);
		fprintf(f, " %u %u %u %u %u\n", dests[i].port, dests[i].fwd, dests[i].weight,
			dests[i].u_thresh, dests[i].l_thresh);
	}
	fclose(f);
}

static int same_service(const struct service *a, const struct service *b) {
	if (a->af != b->af) return 0;
	if (a->fwmark || b->fwmark) return a->fwmark == b->fwmark;
	return a->protocol == b->protocol && a->port == b->port && !memcmp(a->addr, b->addr, 16);
}

static int find_service(const struct service *s) {
	for (int i = 0; i < n_services; i++)
		if (same_service(&services[i], s)) return i;
	return -1;
}

/* Walks the attributes in [data, data + len) and stores each one by type (up to max). */
static void parse_attrs(const unsigned char *data, int len, const struct nlattr **out, int max) {
	memset(out, 0, sizeof(*out) * (max + 1));
	while (len >= (int)NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)data;
		if (a->nla_len < NLA_HDRLEN || a->nla_len > len) break;
		int type = a->nla_type & NLA_TYPE_MASK;
		if (type <= max) out[type] = a;
		int step = NLA_ALIGN(a->nla_len);
		data += step;
		len -= step;
	}
}

static const void *payload(const struct nlattr *a) { return (const unsigned char *)a + NLA_HDRLEN; }
static int payload_len(const struct nlattr *a) { return a->nla_len - NLA_HDRLEN; }
static uint16_t u16(const struct nlattr *a) { return a ? *(const uint16_t *)payload(a) : 0; }
static uint32_t u32(const struct nlattr *a) { return a ? *(const uint32_t *)payload(a) : 0; }

static void read_service(const struct nlattr *nest, struct service *s) {
	const struct nlattr *at[IPVS_SVC_ATTR_MAX + 1];
	memset(s, 0, sizeof *s);
	parse_attrs(payload(nest), payload_len(nest), at, IPVS_SVC_ATTR_MAX);
	s->af = u16(at[IPVS_SVC_ATTR_AF]);
	s->protocol = u16(at[IPVS_SVC_ATTR_PROTOCOL]);
	s->port = u16(at[IPVS_SVC_ATTR_PORT]);
	s->fwmark = u32(at[IPVS_SVC_ATTR_FWMARK]);
	if (at[IPVS_SVC_ATTR_ADDR])
		memcpy(s->addr, payload(at[IPVS_SVC_ATTR_ADDR]),
		       payload_len(at[IPVS_SVC_ATTR_ADDR]) < 16 ? payload_len(at[IPVS_SVC_ATTR_ADDR]) : 16);
	if (at[IPVS_SVC_ATTR_SCHED_NAME])
		snprintf(s->sched, sizeof s->sched, "%s", (const char *)payload(at[IPVS_SVC_ATTR_SCHED_NAME]));
	if (at[IPVS_SVC_ATTR_PE_NAME])
		snprintf(s->pe, sizeof s->pe, "%s", (const char *)payload(at[IPVS_SVC_ATTR_PE_NAME]));
	if (at[IPVS_SVC_ATTR_FLAGS]) {
		const struct ip_vs_flags *f = payload(at[IPVS_SVC_ATTR_FLAGS]);
		s->flags = f->flags & f->mask;
	}
	s->timeout = u32(at[IPVS_SVC_ATTR_TIMEOUT]);
	s->netmask = u32(at[IPVS_SVC_ATTR_NETMASK]);
}

/* The schedulers Linux ships (net/netfilter/ipvs/ip_vs_*.c); any other name is ENOENT there. */
static int known_scheduler(const char *name) {
	static const char *names[] = {"rr", "wrr", "lc",  "wlc", "lblc", "lblcr", "dh",
				      "sh", "sed", "nq",  "fo",  "ovf",  "mh",    "twos"};
	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(name, names[i])) return 1;
	return 0;
}

static void handle_request(struct nlmsghdr *nlh) {
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	const unsigned char *attrs = (const unsigned char *)g + GENL_HDRLEN;
	int len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	const struct nlattr *at[IPVS_CMD_ATTR_MAX + 1];
	parse_attrs(attrs, len, at, IPVS_CMD_ATTR_MAX);
	load_state();
	pending_cmd = g->cmd;
	pending_error = 0;
	struct service s;
	switch (g->cmd) {
	case IPVS_CMD_GET_INFO:
		return;
	case IPVS_CMD_FLUSH:
		n_services = n_dests = 0;
		save_state();
		return;
	case IPVS_CMD_NEW_SERVICE:
		if (!at[IPVS_CMD_ATTR_SERVICE]) { pending_error = EINVAL; return; }
		read_service(at[IPVS_CMD_ATTR_SERVICE], &s);
		if (!known_scheduler(s.sched)) { pending_error = ENOENT; return; }
		if (find_service(&s) >= 0) { pending_error = EEXIST; return; }
		if (n_services >= MAX_ENTRIES) { pending_error = ENOMEM; return; }
		services[n_services++] = s;
		save_state();
		return;
	case IPVS_CMD_NEW_DEST: {
		if (!at[IPVS_CMD_ATTR_SERVICE] || !at[IPVS_CMD_ATTR_DEST]) { pending_error = EINVAL; return; }
		struct dest d;
		memset(&d, 0, sizeof d);
		read_service(at[IPVS_CMD_ATTR_SERVICE], &d.svc);
		if (find_service(&d.svc) < 0) { pending_error = ESRCH; return; }
		const struct nlattr *da[IPVS_DEST_ATTR_MAX + 1];
		parse_attrs(payload(at[IPVS_CMD_ATTR_DEST]), payload_len(at[IPVS_CMD_ATTR_DEST]), da,
			    IPVS_DEST_ATTR_MAX);
		d.af = da[IPVS_DEST_ATTR_ADDR_FAMILY] ? u16(da[IPVS_DEST_ATTR_ADDR_FAMILY]) : d.svc.af;
		if (da[IPVS_DEST_ATTR_ADDR]) memcpy(d.addr, payload(da[IPVS_DEST_ATTR_ADDR]), 16);
		d.port = u16(da[IPVS_DEST_ATTR_PORT]);
		d.fwd = u32(da[IPVS_DEST_ATTR_FWD_METHOD]) & IP_VS_CONN_F_FWD_MASK;
		d.weight = u32(da[IPVS_DEST_ATTR_WEIGHT]);
		d.u_thresh = u32(da[IPVS_DEST_ATTR_U_THRESH]);
		d.l_thresh = u32(da[IPVS_DEST_ATTR_L_THRESH]);
		for (int i = 0; i < n_dests; i++)
			if (same_service(&dests[i].svc, &d.svc) && dests[i].port == d.port &&
			    !memcmp(dests[i].addr, d.addr, 16)) {
				pending_error = EEXIST;
				return;
			}
		if (n_dests >= MAX_ENTRIES) { pending_error = ENOMEM; return; }
		dests[n_dests++] = d;
		save_state();
		return;
	}
	case IPVS_CMD_GET_SERVICE:
		return;
	case IPVS_CMD_GET_DEST:
		if (!at[IPVS_CMD_ATTR_SERVICE]) { pending_error = EINVAL; return; }
		read_service(at[IPVS_CMD_ATTR_SERVICE], &pending_svc);
		if (find_service(&pending_svc) < 0) pending_error = ESRCH;
		return;
	default:
		pending_error = EOPNOTSUPP;
	}
}

static struct nl_msg *reply(uint8_t cmd) {
	struct nl_msg *msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, FAMILY_ID, 0, NLM_F_MULTI, cmd, IPVS_GENL_VERSION);
	return msg;
}

static void put_u16(struct nl_msg *m, int t, uint16_t v) { nla_put(m, t, sizeof v, &v); }
static void put_u32(struct nl_msg *m, int t, uint32_t v) { nla_put(m, t, sizeof v, &v); }

static void put_service(struct nl_msg *m, const struct service *s) {
	struct nlattr *nest = nla_nest_start(m, IPVS_CMD_ATTR_SERVICE);
	put_u16(m, IPVS_SVC_ATTR_AF, s->af);
	if (s->fwmark) {
		put_u32(m, IPVS_SVC_ATTR_FWMARK, s->fwmark);
	} else {
		put_u16(m, IPVS_SVC_ATTR_PROTOCOL, s->protocol);
		nla_put(m, IPVS_SVC_ATTR_ADDR, 16, s->addr);
		put_u16(m, IPVS_SVC_ATTR_PORT, s->port);
	}
	nla_put(m, IPVS_SVC_ATTR_SCHED_NAME, strlen(s->sched) + 1, s->sched);
	if (s->pe[0]) nla_put(m, IPVS_SVC_ATTR_PE_NAME, strlen(s->pe) + 1, s->pe);
	/* The kernel reports every service as hashed once it is in its tables. */
	struct ip_vs_flags flags = {.flags = s->flags | IP_VS_SVC_F_HASHED, .mask = ~0U};
	nla_put(m, IPVS_SVC_ATTR_FLAGS, sizeof flags, &flags);
	put_u32(m, IPVS_SVC_ATTR_TIMEOUT, s->timeout);
	put_u32(m, IPVS_SVC_ATTR_NETMASK, s->netmask);
	nla_nest_end(m, nest);
}

static void put_dest(struct nl_msg *m, const struct dest *d) {
	struct nlattr *nest = nla_nest_start(m, IPVS_CMD_ATTR_DEST);
	nla_put(m, IPVS_DEST_ATTR_ADDR, 16, d->addr);
	put_u16(m, IPVS_DEST_ATTR_PORT, d->port);
	put_u32(m, IPVS_DEST_ATTR_FWD_METHOD, d->fwd);
	put_u32(m, IPVS_DEST_ATTR_WEIGHT, d->weight);
	put_u32(m, IPVS_DEST_ATTR_U_THRESH, d->u_thresh);
	put_u32(m, IPVS_DEST_ATTR_L_THRESH, d->l_thresh);
	put_u32(m, IPVS_DEST_ATTR_ACTIVE_CONNS, 0);
	put_u32(m, IPVS_DEST_ATTR_INACT_CONNS, 0);
	put_u32(m, IPVS_DEST_ATTR_PERSIST_CONNS, 0);
	put_u16(m, IPVS_DEST_ATTR_ADDR_FAMILY, d->af);
	nla_nest_end(m, nest);
}

static int deliver(struct nl_msg *m) {
	int rc = valid_cb ? valid_cb(m, valid_arg) : 0;
	nlmsg_free(m);
	return rc;
}

/* ---- the libnl entry points libipvs uses, answered here instead of by the kernel ---- */

int genl_connect(struct nl_sock *sock) {
	(void)sock;
	return 0;
}

int genl_ctrl_resolve(struct nl_sock *sock, const char *name) {
	(void)sock;
	return strcmp(name, IPVS_GENL_NAME) ? -1 : FAMILY_ID;
}

int nl_socket_modify_cb(struct nl_sock *sock, int type, int kind, valid_cb_t func, void *arg) {
	(void)sock;
	(void)kind;
	if (type == 0 /* NL_CB_VALID */) {
		valid_cb = func;
		valid_arg = arg;
	}
	return 0;
}

int nl_socket_modify_err_cb(struct nl_sock *sock, int kind, err_cb_t func, void *arg) {
	(void)sock;
	(void)kind;
	err_cb = func;
	err_arg = arg;
	return 0;
}

int nl_send_auto_complete(struct nl_sock *sock, struct nl_msg *msg) {
	(void)sock;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	handle_request(nlh);
	return nlh->nlmsg_len;
}

int nl_recvmsgs_default(struct nl_sock *sock) {
	(void)sock;
	if (pending_error) {
		struct nlmsgerr e;
		memset(&e, 0, sizeof e);
		e.error = -pending_error;
		if (err_cb) err_cb(NULL, &e, err_arg);
		return -1;
	}
	switch (pending_cmd) {
	case IPVS_CMD_GET_INFO: {
		struct nl_msg *m = reply(IPVS_CMD_SET_INFO);
		put_u32(m, IPVS_INFO_ATTR_VERSION, (1 << 16) | (2 << 8) | 1); /* 1.2.1, as Linux */
		put_u32(m, IPVS_INFO_ATTR_CONN_TAB_SIZE, 4096);
		return deliver(m) < 0 ? -1 : 0;
	}
	case IPVS_CMD_GET_SERVICE:
		for (int i = 0; i < n_services; i++) {
			struct nl_msg *m = reply(IPVS_CMD_NEW_SERVICE);
			put_service(m, &services[i]);
			if (deliver(m) < 0) return -1;
		}
		return 0;
	case IPVS_CMD_GET_DEST:
		for (int i = 0; i < n_dests; i++) {
			if (!same_service(&dests[i].svc, &pending_svc)) continue;
			struct nl_msg *m = reply(IPVS_CMD_NEW_DEST);
			put_dest(m, &dests[i]);
			if (deliver(m) < 0) return -1;
		}
		return 0;
	default:
		return 0;
	}
}
