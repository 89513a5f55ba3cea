# SPDX-License-Identifier: GPL-2.0-only
# bh_partition_table(SRC OUT): compiles the scenario SRC (a C file defining
# BH_SCENARIO, see tools/bhtable/scenario.h) with the emitter into a
# generator program, runs it, checks the blob with `bulkhead-table check` and
# only then writes OUT. A bad scenario fails the build. Defines the target
# bhtable-gen-<name of OUT without .bin>.
function(bh_partition_table src out)
	get_filename_component(name ${out} NAME_WE)
	set(gen bhtable-gen-${name})
	add_executable(${gen} ${src}
		${CMAKE_SOURCE_DIR}/tools/bhtable/gen_main.c
		${CMAKE_SOURCE_DIR}/tools/bhtable/host.c)
	target_include_directories(${gen} PRIVATE ${CMAKE_SOURCE_DIR}/tools/bhtable)
	target_link_libraries(${gen} PRIVATE bulkhead_host)
	target_compile_options(${gen} PRIVATE ${BH_WARN})
	add_custom_command(OUTPUT ${out}
		COMMAND $<TARGET_FILE:${gen}> ${out}.unchecked
		COMMAND $<TARGET_FILE:bulkhead-table> check ${out}.unchecked
		COMMAND ${CMAKE_COMMAND} -E rename ${out}.unchecked ${out}
		DEPENDS ${gen} bulkhead-table
		COMMENT "Partition table ${name}.bin (emit, then bulkhead-table check)"
		VERBATIM)
endfunction()
