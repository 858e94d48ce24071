/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vr_sched: generic netlink control plane of the pvr module suite.
 *
 * The family and its attribute trees are specified in
 * Documentation/netlink/specs/vr_sched.yaml; this header follows the spec.
 */
#ifndef _UAPI_LINUX_VR_SCHED_H
#define _UAPI_LINUX_VR_SCHED_H

#define VR_SCHED_GENL_NAME	"vr_sched"
#define VR_SCHED_GENL_VERSION	1

/* Direction of a vhost_split worker thread. */
enum vr_sched_dir {
	VR_SCHED_DIR_RX = 1,	/* backend socket -> guest */
	VR_SCHED_DIR_TX,	/* guest -> backend socket */

	__VR_SCHED_DIR_MAX,
	VR_SCHED_DIR_MAX = __VR_SCHED_DIR_MAX - 1
};

/* Queue selection policy of a macvtap_mq link. */
enum vr_sched_link_policy {
	VR_SCHED_POLICY_RR = 1,	/* per-packet round robin */
	VR_SCHED_POLICY_HASH,	/* flow hash, as macvtap */
	VR_SCHED_POLICY_WRR,	/* weighted round robin */

	__VR_SCHED_POLICY_MAX,
	VR_SCHED_POLICY_MAX = __VR_SCHED_POLICY_MAX - 1
};

#endif /* _UAPI_LINUX_VR_SCHED_H */
