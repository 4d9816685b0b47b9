/* One Argon2id derivation with the upstream reference library, for bench/argon2/run.sh.
   Usage: argon2_c M_KIB T P SALT_HEX < password; prints the 32-byte tag in hex. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "argon2.h"

int main(int argc, char **argv) {
    unsigned char pwd[256], salt[128], tag[32];
    size_t pwdlen, saltlen, i;
    int rc;
    if (argc != 5) {
        fprintf(stderr, "usage: %s M_KIB T P SALT_HEX < password\n", argv[0]);
        return 2;
    }
    pwdlen = fread(pwd, 1, sizeof pwd, stdin);
    saltlen = strlen(argv[4]) / 2;
    if (saltlen > sizeof salt) return 2;
    for (i = 0; i < saltlen; i++) sscanf(argv[4] + 2 * i, "%2hhx", &salt[i]);
    rc = argon2id_hash_raw((uint32_t)atoi(argv[2]), (uint32_t)atoi(argv[1]), (uint32_t)atoi(argv[3]),
                           pwd, pwdlen, salt, saltlen, tag, sizeof tag);
    if (rc != ARGON2_OK) {
        fprintf(stderr, "%s\n", argon2_error_message(rc));
        return 1;
    }
    for (i = 0; i < sizeof tag; i++) printf("%02x", tag[i]);
    printf("\n");
    return 0;
}
