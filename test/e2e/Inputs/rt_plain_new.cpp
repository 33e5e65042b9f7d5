// Built WITHOUT the plugin: operator new of a huge size from foreign code.
#include <cstddef>
#include <new>

char *plain_new_array(std::size_t size) { return new char[size]; }
char *plain_new_nothrow(std::size_t size) { return new (std::nothrow) char[size]; }
void plain_delete_array(char *block) { delete[] block; }
