# SPDX-License-Identifier: GPL-2.0-only
# Boot media built at build time with tools/mkimage, into ${CMAKE_BINARY_DIR}/images.
set(BH_IMG ${CMAKE_BINARY_DIR}/images)
set(BH_MKIMAGE ${CMAKE_SOURCE_DIR}/tools/mkimage)
set(BH_HV $<TARGET_FILE:bulkhead>)
set(BH_LOADER ${CMAKE_BINARY_DIR}/bulkhead.efi)
file(MAKE_DIRECTORY ${BH_IMG})

# bh_image(NAME KIND CMDLINE DEFAULT_ENTRY [MODULE PATH TAG]...)
function(bh_image name kind cmdline default)
	set(out ${BH_IMG}/${name})
	set(mods)
	set(deps ${BH_MKIMAGE} bulkhead)
	set(args ${ARGN})
	while(args)
		list(POP_FRONT args path tag)
		list(APPEND mods --module ${path} ${tag})
		# generated modules come from other targets (ordered below); for those,
		# depending on the generator programs rebuilds the image when they change
		if(EXISTS ${path})
			list(APPEND deps ${path})
		endif()
	endwhile()
	foreach(t rogue-guest rtos bhtable-gen-qemu-x86_64-demo bhtable-gen-missing-cpu
		bhtable-gen-start32 bhtable-gen-gb-pages bhtable-gen-bochs-rtos)
		if(TARGET ${t})
			list(APPEND deps ${t})
		endif()
	endforeach()
	set(loader)
	if(TARGET bulkhead-loader)
		set(loader --loader ${BH_LOADER})
		list(APPEND deps bulkhead-loader)
	endif()
	add_custom_command(OUTPUT ${out}
		COMMAND ${BH_MKIMAGE} --hv ${BH_HV} ${loader} ${mods}
			--cmdline "${cmdline}" --default ${default} --timeout 0 --${kind} ${out}
		DEPENDS ${deps}
		COMMENT "image ${name}" VERBATIM)
	string(REPLACE "." "_" tgt ${name})
	add_custom_target(image_${tgt} ALL DEPENDS ${out})
	# modules made in other folders: order the targets that make them first
	foreach(t partition-tables rogue-guest rtos test-tables)
		if(TARGET ${t})
			add_dependencies(image_${tgt} ${t})
		endif()
	endforeach()
endfunction()

