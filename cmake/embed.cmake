# cmake -DINPUT=<file> -DOUTPUT=<header> -DNAME=<symbol> -P embed.cmake
# Writes a header holding the file's bytes as a C array (for the page's font).
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR size "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" body "${body}")
file(WRITE "${OUTPUT}" "// generated from ${INPUT} by cmake/embed.cmake — do not edit\n#pragma once\nnamespace web {\ninline constexpr unsigned char kFontData[] = {\n${body}\n};\ninline constexpr unsigned long kFontSize = ${size};\n}\n")
