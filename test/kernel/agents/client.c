/*
 * The client side of the kernel lane (docs/kernel-lane.md), started in the source namespace.
 * Reads probes from stdin, one per line:
 *
 *   ROUND ID TCP|UDP IP PORT COUNT TIMEOUT_MS PARALLEL LOCAL_ADDRESS|-
 *
 * Rounds run one after the other (round 0 can warm the neighbour tables before round 1 is
 * judged); the probes of a round run at once, each with up to PARALLEL attempts in flight. Every
 * attempt opens a fresh socket: a TCP connection or a UDP datagram (a DNS question for
 * `whoami.netplay. TXT` to port 53, "hello" elsewhere). Prints one line per attempt:
 *
 *   ROUND ID MS answered POD SEEN_SOURCE PORT | ROUND ID MS refused | ROUND ID MS timeout
 *
 * with MS the attempt's duration in milliseconds.
 * refused is a TCP RST or an ICMP port unreachable (ECONNREFUSED); timeout is no answer within
 * TIMEOUT_MS (a DROP), or any other error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROBES 1024
#define MAX_FLIGHT 256

struct probe {
	int round, udp, port, count, timeout_ms, parallel;
	char id[64], ip[64], local[64];
	int started, finished, in_flight;
};

struct attempt {
	int fd, probe, connected;
	long long started, deadline;
	char buf[512];
	size_t len;
};

static struct probe probes[MAX_PROBES];
static int n_probes;
static struct attempt flight[MAX_FLIGHT];
static int n_flight;

static long long now_ms(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static const unsigned char WHOAMI[] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
				       6, 'w', 'h', 'o', 'a', 'm', 'i', 7, 'n', 'e', 't', 'p', 'l', 'a', 'y', 0,
				       0, 16, 0, 1};

/* The first TXT string of a DNS answer to the whoami question. */
static int whoami_text(const unsigned char *r, size_t len, char *out, size_t size) {
	if (len < 12 || (r[3] & 0x0f) != 0 || r[7] == 0) return -1;
	size_t i = 12;
	while (i < len && r[i] != 0) i += r[i] + 1;
	i += 1 + 4 + 2 + 8 + 2; /* end of name, QTYPE+QCLASS, answer: pointer, type class ttl, rdlength */
	if (i >= len) return -1;
	size_t n = r[i];
	if (i + 1 + n > len || n >= size) return -1;
	memcpy(out, r + i + 1, n);
	out[n] = 0;
	return 0;
}

static void report(struct attempt *a, const char *outcome, const char *text) {
	struct probe *p = &probes[a->probe];
	long long ms = now_ms() - a->started;
	if (text) {
		char pod[256] = "", seen[64] = "";
		int port = 0;
		if (sscanf(text, "%255s %63s %d", pod, seen, &port) == 3)
			printf("%d %s %lld answered %s %s %d\n", p->round, p->id, ms, pod, seen, port);
		else
			printf("%d %s %lld timeout\n", p->round, p->id, ms);
	} else {
		printf("%d %s %lld %s\n", p->round, p->id, ms, outcome);
	}
	close(a->fd);
	p->finished++;
	p->in_flight--;
	*a = flight[--n_flight];
}

static int start(int index) {
	struct probe *p = &probes[index];
	int fd = socket(AF_INET, (p->udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK, 0);
	if (fd < 0) return -1;
	if (strcmp(p->local, "-")) {
		struct sockaddr_in l = {.sin_family = AF_INET};
		inet_pton(AF_INET, p->local, &l.sin_addr);
		if (bind(fd, (struct sockaddr *)&l, sizeof l) < 0) {
			close(fd);
			return -1;
		}
	}
	struct sockaddr_in d = {.sin_family = AF_INET, .sin_port = htons(p->port)};
	inet_pton(AF_INET, p->ip, &d.sin_addr);
	struct attempt *a = &flight[n_flight++];
	long long now = now_ms();
	*a = (struct attempt){.fd = fd, .probe = index, .started = now, .deadline = now + p->timeout_ms};
	p->started++;
	p->in_flight++;
	if (connect(fd, (struct sockaddr *)&d, sizeof d) < 0 && errno != EINPROGRESS) {
		report(a, errno == ECONNREFUSED ? "refused" : "timeout", NULL);
		return 0;
	}
	if (p->udp) {
		a->connected = 1;
		ssize_t sent = p->port == 53 ? send(fd, WHOAMI, sizeof WHOAMI, 0) : send(fd, "hello\n", 6, 0);
		/* A REJECT or DROP in the sender's own OUTPUT chain fails the send with EPERM; the ICMP
		 * error a REJECT sends back still reaches the socket, so the attempt waits for it. */
		if (sent < 0 && errno == ECONNREFUSED) report(a, "refused", NULL);
	}
	return 0;
}

/* One readiness event on attempt i; returns 1 when the attempt finished (and left the list). */
static int step(int i, short revents) {
	struct attempt *a = &flight[i];
	struct probe *p = &probes[a->probe];
	if (!a->connected) {
		int err = 0;
		socklen_t len = sizeof err;
		getsockopt(a->fd, SOL_SOCKET, SO_ERROR, &err, &len);
		if (err) {
			report(a, err == ECONNREFUSED ? "refused" : "timeout", NULL);
			return 1;
		}
		if (!(revents & POLLOUT)) return 0;
		a->connected = 1;
		return 0;
	}
	ssize_t n = recv(a->fd, a->buf + a->len, sizeof a->buf - 1 - a->len, 0);
	if (n < 0) {
		if (errno == EAGAIN) return 0;
		report(a, errno == ECONNREFUSED ? "refused" : "timeout", NULL);
		return 1;
	}
	if (p->udp) {
		char text[256];
		if (p->port == 53) {
			if (whoami_text((unsigned char *)a->buf, (size_t)n, text, sizeof text) < 0) text[0] = 0;
		} else {
			size_t k = (size_t)n < sizeof text - 1 ? (size_t)n : sizeof text - 1;
			memcpy(text, a->buf, k);
			text[k] = 0;
		}
		report(a, "answered", text);
		return 1;
	}
	a->len += (size_t)n;
	a->buf[a->len] = 0;
	if (n == 0 || a->len >= sizeof a->buf - 1) {
		report(a, "answered", a->buf);
		return 1;
	}
	return 0;
}

static void run_round(int round) {
	for (;;) {
		int pending = 0;
		for (int k = 0; k < n_probes; k++) {
			struct probe *p = &probes[k];
			if (p->round != round) continue;
			while (p->started < p->count && p->in_flight < p->parallel && n_flight < MAX_FLIGHT)
				if (start(k) < 0) {
					printf("%d %s 0 timeout\n", p->round, p->id);
					p->started++;
					p->finished++;
				}
			if (p->finished < p->count) pending = 1;
		}
		if (!pending) return;
		struct pollfd pfd[MAX_FLIGHT];
		long long now = now_ms(), wait = 1000;
		for (int i = 0; i < n_flight; i++) {
			pfd[i] = (struct pollfd){.fd = flight[i].fd, .events = flight[i].connected ? POLLIN : POLLOUT};
			if (flight[i].deadline - now < wait) wait = flight[i].deadline - now;
		}
		if (poll(pfd, n_flight, wait < 0 ? 0 : (int)wait) < 0 && errno != EINTR) exit(1);
		/* Walk backwards: a finished attempt is replaced by the last one in the list. */
		now = now_ms();
		for (int i = n_flight - 1; i >= 0; i--) {
			if (pfd[i].revents && step(i, pfd[i].revents)) continue;
			if (i < n_flight && flight[i].deadline <= now) report(&flight[i], "timeout", NULL);
		}
	}
}

int main(void) {
	char line[512];
	int rounds = 0;
	while (n_probes < MAX_PROBES && fgets(line, sizeof line, stdin)) {
		struct probe *p = &probes[n_probes];
		char proto[8];
		if (sscanf(line, "%d %63s %7s %63s %d %d %d %d %63s", &p->round, p->id, proto, p->ip,
			   &p->port, &p->count, &p->timeout_ms, &p->parallel, p->local) != 9)
			continue;
		p->udp = strcmp(proto, "UDP") == 0;
		if (p->parallel < 1) p->parallel = 1;
		if (p->round + 1 > rounds) rounds = p->round + 1;
		n_probes++;
	}
	for (int r = 0; r < rounds; r++) run_round(r);
	fflush(stdout);
	return 0;
}
