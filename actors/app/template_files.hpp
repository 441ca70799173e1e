#pragma once
// The subnet template's files, built into the executable (template_files.cpp.in).

#include <string_view>
#include <vector>

namespace synod::app {

struct template_file {
  std::string_view name;  ///< relative to the new plugin's folder
  std::string_view text;  ///< with "subnet_template" where the plugin's name goes
};

const std::vector<template_file>& subnet_template_files();

}  // namespace synod::app
