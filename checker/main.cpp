#include "checker/cli.h"

int main(int argc, char** argv) { return bbcheck::runCli(argc, argv); }
