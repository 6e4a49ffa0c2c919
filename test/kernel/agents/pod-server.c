/*
 * A pod's application in the kernel lane (docs/kernel-lane.md), started inside the pod's network
 * namespace: `pod-server NAME PORTS` with PORTS like `80/TCP,53/UDP`. Every TCP connection and
 * UDP datagram is answered with "<NAME> <source address the server saw> <local port>"; on UDP
 * port 53 a DNS question for `whoami.netplay. TXT` gets that text as a TXT record (any other
 * question NXDOMAIN), so the same program stands in for CoreDNS on the kube-dns probes. Prints
 * "ready" once every socket is bound. C, so that a scenario's dozen servers start in
 * milliseconds on a loaded machine.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_PORTS 64

struct listener {
	int fd;
	int udp;
	int port;
};

static const char *name;

/* The reply text: "<name> <peer address> <local port>". */
static int reply_text(char *out, size_t size, const struct sockaddr_in *peer, int port) {
	char ip[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &peer->sin_addr, ip, sizeof ip);
	return snprintf(out, size, "%s %s %d", name, ip, port);
}

/* Whether the question (after the 12-byte header) is whoami.netplay. TXT; sets *end past it. */
static int is_whoami(const unsigned char *q, size_t len, size_t *end) {
	static const unsigned char want[] = "\x06whoami\x07netplay";
	size_t i = 12, n = sizeof want; /* includes the terminating zero label */
	if (len < i + n + 4) return 0;
	for (size_t k = 0; k < n; k++) {
		unsigned char c = q[i + k];
		unsigned char w = want[k];
		if (c >= 'A' && c <= 'Z') c += 32;
		if (c != w) return 0;
	}
	*end = i + n + 4;
	return q[i + n] == 0 && q[i + n + 1] == 16; /* QTYPE TXT */
}

/* Skips the question name; returns the offset after QTYPE and QCLASS, or 0 when malformed. */
static size_t question_end(const unsigned char *q, size_t len) {
	size_t i = 12;
	while (i < len && q[i] != 0) {
		if (q[i] & 0xc0) return 0;
		i += q[i] + 1;
	}
	return i + 5 <= len ? i + 5 : 0;
}

static size_t dns_reply(unsigned char *out, const unsigned char *q, size_t len,
			const struct sockaddr_in *peer) {
	size_t end = 0;
	int whoami = is_whoami(q, len, &end);
	if (!whoami) end = question_end(q, len);
	if (!end || end > 512) return 0;
	memcpy(out, q, end);
	/* QR, AA, the query's RD, RA; NXDOMAIN unless it is the whoami question. */
	out[2] = 0x84 | (q[2] & 0x01);
	out[3] = 0x80 | (whoami ? 0 : 3);
	out[4] = 0, out[5] = 1;			    /* QDCOUNT */
	out[6] = 0, out[7] = whoami ? 1 : 0;	    /* ANCOUNT */
	out[8] = out[9] = out[10] = out[11] = 0; /* NSCOUNT, ARCOUNT */
	if (!whoami) return end;
	char text[128];
	int n = reply_text(text, sizeof text, peer, 53);
	if (n < 0 || n > 255) return 0;
	size_t o = end;
	const unsigned char rr[] = {0xc0, 0x0c, 0, 16, 0, 1, 0, 0, 0, 30};
	memcpy(out + o, rr, sizeof rr);
	o += sizeof rr;
	out[o++] = (unsigned char)((n + 1) >> 8);
	out[o++] = (unsigned char)((n + 1) & 0xff);
	out[o++] = (unsigned char)n;
	memcpy(out + o, text, n);
	return o + n;
}

int main(int argc, char **argv) {
	if (argc < 3) {
		fprintf(stderr, "usage: pod-server NAME PORT/PROTO[,PORT/PROTO...]\n");
		return 2;
	}
	name = argv[1];
	struct listener ls[MAX_PORTS];
	int count = 0;
	char *spec = strdup(argv[2]);
	for (char *item = strtok(spec, ","); item && count < MAX_PORTS; item = strtok(NULL, ",")) {
		char *slash = strchr(item, '/');
		if (!slash) continue;
		*slash = 0;
		int udp = strcmp(slash + 1, "UDP") == 0;
		int fd = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(item))};
		if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
		    (!udp && listen(fd, 128) < 0)) {
			fprintf(stderr, "%s: cannot serve %s/%s: %s\n", name, item, slash + 1, strerror(errno));
			return 1;
		}
		ls[count++] = (struct listener){fd, udp, atoi(item)};
	}
	printf("ready\n");
	fflush(stdout);
	struct pollfd pfd[MAX_PORTS];
	for (int i = 0; i < count; i++) pfd[i] = (struct pollfd){.fd = ls[i].fd, .events = POLLIN};
	for (;;) {
		if (poll(pfd, count, -1) < 0 && errno != EINTR) return 1;
		for (int i = 0; i < count; i++) {
			if (!(pfd[i].revents & POLLIN)) continue;
			struct sockaddr_in peer;
			socklen_t plen = sizeof peer;
			if (ls[i].udp) {
				unsigned char buf[1500], out[1024];
				ssize_t n = recvfrom(ls[i].fd, buf, sizeof buf, 0, (struct sockaddr *)&peer, &plen);
				if (n <= 0) continue;
				size_t len;
				if (ls[i].port == 53 && n > 12) {
					len = dns_reply(out, buf, (size_t)n, &peer);
				} else {
					int k = reply_text((char *)out, sizeof out - 1, &peer, ls[i].port);
					out[k] = '\n';
					len = (size_t)k + 1;
				}
				if (len) sendto(ls[i].fd, out, len, 0, (struct sockaddr *)&peer, plen);
			} else {
				int c = accept(ls[i].fd, (struct sockaddr *)&peer, &plen);
				if (c < 0) continue;
				char out[256];
				int k = reply_text(out, sizeof out - 1, &peer, ls[i].port);
				out[k] = '\n';
				/* The listening port is the port the connection was accepted on. */
				if (write(c, out, (size_t)k + 1) < 0) { /* the client went away */ }
				close(c);
			}
		}
	}
}
