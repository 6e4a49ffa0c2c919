/*
 * `resolve NAME`: getaddrinfo(NAME, AF_INET) as an application does, printing each address once
 * (exit 0), or the error (exit 2). The kernel lane links it with musl (musl-gcc -static), so the
 * search-list walk is musl's own (src/network/lookup_name.c), next to glibc's `getent ahostsv4`.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

int main(int argc, char **argv) {
	if (argc != 2) {
		fprintf(stderr, "usage: resolve NAME\n");
		return 1;
	}
	struct addrinfo hints, *res, *p;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	int rc = getaddrinfo(argv[1], NULL, &hints, &res);
	if (rc) {
		printf("error %s\n", gai_strerror(rc));
		return 2;
	}
	for (p = res; p; p = p->ai_next) {
		char ip[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &((struct sockaddr_in *)p->ai_addr)->sin_addr, ip, sizeof ip);
		printf("%s\n", ip);
	}
	freeaddrinfo(res);
	return 0;
}
